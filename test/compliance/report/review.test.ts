/**
 * The report's first screen (compliance/report/review.ts) against a base output: what the change does to access and
 * what it destroys, derived from the two synthesized outputs; and an environment shown as its differences from prod.
 */
import { Testing } from "cdktf";
import { toMarkdown } from "../../../document/document";
import { reviewBlocks } from "../../../compliance/report/review";
import { differencesFrom } from "../../../compliance/report/environment-diff";
import { heading, list, paragraph, table } from "../../../document/document";
import { evaluateStack } from "../../../compliance/evaluate";
import { ALL_PACKS } from "../../../compliance/packs";
import { StackView } from "../../../synthesized/stack-view";
import { addEnvironment } from "../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../helpers";

const NOW = new Date("2026-11-26T12:00:00Z");

describe("first screen against a base", () => {
  let md: string;
  let removedRole: string;
  beforeAll(async () => {
    const config = configFor("dev");
    const jsons = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies())).map((s) => [s.node.id, synthJson(s)] as const);
    const head = jsons.map(([id, json]) => new StackView(id, json));
    // The base had a KV mount the head no longer has, and lacked one application's role the head adds.
    const base = jsons.map(([id, json]) => {
      const copy = JSON.parse(JSON.stringify(json));
      if (copy.resource?.vault_kubernetes_auth_backend_role) {
        const [name, role] = Object.entries<any>(copy.resource.vault_kubernetes_auth_backend_role).find(([, r]) => config.applications.some((a) => a.auth.role === r.role_name))!;
        removedRole = role.role_name;
        delete copy.resource.vault_kubernetes_auth_backend_role[name];
        copy.resource.vault_mount = { ...copy.resource.vault_mount, kv_legacy: { path: "kv-legacy", type: "kv" } };
      }
      return new StackView(id, copy);
    });
    const findings = head.flatMap((s) => evaluateStack(s, ALL_PACKS, config.compliance.suppressions));
    const env = { environment: "dev", stacks: head, findings, tenants: [] };
    md = toMarkdown(reviewBlocks([env], NOW, { environments: [{ environment: "dev", stacks: base }] }));
  }, 60_000);

  it("counts the access changes and names the stateful resource the head removes, in the verdict too", () => {
    expect(md).toMatch(/\*\*\[dev\]\(#dev\)\*\*: access \*\*1 role\(s\) added[^*]*\*\*; destroys \*\*`vault-config-dev vault_mount\.kv_legacy` removed\*\*/);
    expect(md).toMatch(/\*\*Verdict: REVIEW\.\*\* To decide: access changes in dev; destructive changes in dev;/);
    expect(removedRole).toBeTruthy();
  });

  it("says the access changes are not computed without a base", async () => {
    const env = { environment: "dev", stacks: [] as StackView[], findings: [] };
    expect(toMarkdown(reviewBlocks([env], NOW))).toContain("access not computed (no base given: `--base`)");
  });
});

describe("an environment as its differences from prod", () => {
  const prod = [heading(3, "Keys"), table(["key", "rotation"], [["`alias/vault-prod-a`", "on"], ["`alias/vault-prod-b`", "on"]]), heading(3, "Audit"), list(["file", "stdout"])];
  const dev = [heading(3, "Keys"), table(["key", "rotation"], [["`alias/vault-dev-a`", "off"]]), heading(3, "Audit"), list(["file", "stdout"]), heading(3, "Only here"), paragraph("x")];
  const md = toMarkdown(differencesFrom("dev", dev, "prod", prod));

  it("keeps only the rows that differ (names made generic), marks those only in prod, and names identical sections", () => {
    expect(md).toContain("The same as in prod: Audit.");
    expect(md).toContain("### Keys: differences from prod");
    expect(md).toContain("| `alias/vault-dev-a` | off | differs |");
    expect(md).toContain("| `alias/vault-prod-b` | on | only in prod |");
    expect(md).not.toContain("alias/vault-prod-a");
    expect(md).toContain("### Only here (not in prod)");
  });
});
