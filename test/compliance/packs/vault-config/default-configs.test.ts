import { Testing } from "cdktf";
import { evaluateStack, violations, type Finding } from "../../../../compliance/evaluate";
import { vaultConfigPack } from "../../../../compliance/packs/vault-config";
import { StackView } from "../../../../synthesized/stack-view";
import { addEnvironment } from "../../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../../helpers";

const describeFinding = (f: Finding) => `${f.rule.id} ${f.address}`;

describe.each(["dev", "prod"] as const)("Vault configuration pack on the default %s config", (env) => {
  const config = configFor(env);
  let view: StackView;
  beforeAll(async () => {
    const { vaultConfig } = addEnvironment(Testing.app(), config, await defaultPolicies());
    view = new StackView(vaultConfig.node.id, synthJson(vaultConfig));
  });

  // The exemptions are the config's suppressions of this pack's rules: the platform identities that write auth/
  // or sys/ (terraform-ci applies, terraform-plan refreshes, the secret-ID rotator issues wrapped secret IDs).
  const ruleIds = new Set(vaultConfigPack.rules.map((r) => r.id));
  const EXEMPT = config.compliance.suppressions.filter((s) => ruleIds.has(s.rule)).map((s) => `${s.rule} ${s.resource}`).sort();

  it("is compliant except for the suppressed platform identities' policies", () => {
    const nonCompliant = evaluateStack(view, [vaultConfigPack], []).filter((f) => f.outcome.status === "non-compliant");
    expect(nonCompliant.map(describeFinding).sort()).toEqual(EXEMPT);
    const names = nonCompliant.map((f) => String(view.all().find((b) => b.address === f.address)?.attributes.name));
    const platformPolicies = new Set(config.platform.flatMap((p) => p.policies));
    const applicationPolicies = new Set(config.applications.flatMap((a) => a.policies));
    expect(names.filter((n) => !platformPolicies.has(n) || applicationPolicies.has(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(["terraform-ci", "terraform-plan"]));
  });

  it("suppresses exactly those findings in config, each with a reason", () => {
    const findings = evaluateStack(view, [vaultConfigPack], config.compliance.suppressions);
    expect(violations(findings)).toEqual([]);
    const suppressed = findings.filter((f) => f.suppression);
    expect(suppressed.map(describeFinding).sort()).toEqual(EXEMPT);
    for (const f of suppressed) expect(f.suppression?.reason.length).toBeGreaterThanOrEqual(10);
  });

  it("evaluates every rule against real resources", () => {
    const evaluated = new Set(evaluateStack(view, [vaultConfigPack], []).map((f) => f.rule.id));
    expect([...evaluated].sort()).toEqual(vaultConfigPack.rules.map((r) => r.id).sort());
  });
});
