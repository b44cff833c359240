import { Testing } from "cdktf";
import { evaluateStack } from "../../../../compliance/evaluate";
import { vaultServerPack } from "../../../../compliance/packs/vault-server";
import { StackView } from "../../../../synthesized/stack-view";
import { addEnvironment } from "../../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../../helpers";

// With monitoring on (prod), Prometheus scrapes metrics without a token: the one accepted finding, suppressed with
// its reason in config/prod.yaml.
// Monitoring is on in both (#28): Prometheus scrapes without a token, suppressed with a reason in each config.
const ACCEPTED: Record<"dev" | "prod", string[]> = { dev: ["VLT-TEL-001"], prod: ["VLT-TEL-001"] };

describe.each(["dev", "prod"] as const)("Vault server rules on the default %s config", (env) => {
  let views: StackView[];
  const config = configFor(env);

  beforeAll(async () => {
    const stacks = addEnvironment(Testing.app(), config, await defaultPolicies());
    views = [stacks.backup, stacks.cluster, stacks.vaultConfig].map((s) => new StackView(s.node.id, synthJson(s)));
  });

  it("has no violation in any stack beyond the accepted one, which config suppresses with a reason", () => {
    const findings = views.flatMap((v) => evaluateStack(v, [vaultServerPack], []));
    const nonCompliant = findings.filter((f) => f.outcome.status === "non-compliant").map((f) => f.rule.id);
    expect(nonCompliant).toEqual(ACCEPTED[env]);
    const unsuppressed = views
      .flatMap((v) => evaluateStack(v, [vaultServerPack], config.compliance.suppressions))
      .filter((f) => f.outcome.status === "non-compliant" && !f.suppression);
    expect(unsuppressed).toEqual([]);
  });

  it("proves every other rule compliant on the Vault release (none is merely not applicable)", () => {
    const cluster = views.find((v) => v.id === `vault-cluster-${env}`)!;
    const findings = evaluateStack(cluster, [vaultServerPack], []);
    const compliantRules = new Set(findings.filter((f) => f.outcome.status === "compliant" && f.address.startsWith("helm_release.")).map((f) => f.rule.id));
    expect([...compliantRules].sort()).toEqual(vaultServerPack.rules.map((r) => r.id).filter((id) => !ACCEPTED[env].includes(id)).sort());
  });

  it("reads the environment's replica count and TLS minimum from the synthesized release", () => {
    const cluster = views.find((v) => v.id === `vault-cluster-${env}`)!;
    const evidence = (id: string) =>
      evaluateStack(cluster, [vaultServerPack], [])
        .filter((f) => f.rule.id === id)
        .map((f) => (f.outcome.status === "compliant" ? f.outcome.evidence : ""));
    const replicas = configFor(env).cluster.replicas;
    expect(evidence("VLT-HA-001")).toEqual([expect.stringContaining(`server.ha.replicas = ${replicas}`)]);
    expect(evidence("VLT-TLS-002")).toEqual([expect.stringContaining(`tls_min_version = "${configFor(env).cluster.tls.minVersion}"`)]);
  });
});
