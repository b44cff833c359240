import { Testing } from "cdktf";
import { evaluateStack, violations, type Finding } from "../../../../compliance/evaluate";
import { primeHcl } from "../../../../config/hcl";
import { vaultConfigPack } from "../../../../compliance/packs/vault-config";
import { hclTextsOf, StackView } from "../../../../synthesized/stack-view";
import { addEnvironment } from "../../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../../helpers";

const describeFinding = (f: Finding) => `${f.rule.id} ${f.address}`;

describe.each(["dev", "prod"] as const)("Vault configuration pack on the default %s config", (env) => {
  const config = configFor(env);
  let view: StackView;
  beforeAll(async () => {
    const { vaultConfig } = addEnvironment(Testing.app(), config, await defaultPolicies());
    view = new StackView(vaultConfig.node.id, synthJson(vaultConfig));
    await primeHcl(hclTextsOf(view));
  });

  // The CI identities are the only exemptions: terraform-ci applies (writes sys/ and auth/), terraform-plan
  // refreshes (sudo to list audit devices, a child token).
  const EXEMPT = [/^VCF-POL-001 vault_policy\.policies_terraform-ci_/, /^VCF-POL-001 vault_policy\.policies_terraform-plan_/];

  it("is compliant except for the two CI identities' policies", () => {
    const nonCompliant = evaluateStack(view, [vaultConfigPack], []).filter((f) => f.outcome.status === "non-compliant");
    expect(nonCompliant.map(describeFinding)).toEqual(EXEMPT.map((re) => expect.stringMatching(re)));
    const names = nonCompliant.map((f) => view.all().find((b) => b.address === f.address)?.attributes.name);
    expect(names).toEqual(["terraform-ci", "terraform-plan"]);
  });

  it("suppresses exactly those findings in config, each with a reason", () => {
    const findings = evaluateStack(view, [vaultConfigPack], config.compliance.suppressions);
    expect(violations(findings)).toEqual([]);
    const suppressed = findings.filter((f) => f.suppression);
    expect(suppressed.map(describeFinding)).toEqual(EXEMPT.map((re) => expect.stringMatching(re)));
    for (const f of suppressed) expect(f.suppression?.reason.length).toBeGreaterThanOrEqual(10);
  });

  it("evaluates every rule against real resources", () => {
    const evaluated = new Set(evaluateStack(view, [vaultConfigPack], []).map((f) => f.rule.id));
    expect([...evaluated].sort()).toEqual(vaultConfigPack.rules.map((r) => r.id).sort());
  });
});
