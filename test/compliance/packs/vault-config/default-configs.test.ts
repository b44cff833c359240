import { Testing } from "cdktf";
import { evaluateStack, violations, type Finding } from "../../../../compliance/evaluate";
import { primeHcl } from "../../../../compliance/hcl-cache";
import { vaultConfigPack } from "../../../../compliance/packs/vault-config";
import { hclTextsOf, StackView } from "../../../../compliance/stack-view";
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

  it("is compliant except for the terraform-ci policy, the one exemption", () => {
    const nonCompliant = evaluateStack(view, [vaultConfigPack], []).filter((f) => f.outcome.status === "non-compliant");
    expect(nonCompliant.map(describeFinding)).toEqual([expect.stringMatching(/^VCF-POL-001 vault_policy\.policies_terraform-ci_/)]);
    const ci = view.all().find((b) => b.address === nonCompliant[0].address);
    expect(ci?.attributes.name).toBe("terraform-ci");
  });

  it("suppresses exactly that finding in config, with a reason", () => {
    const findings = evaluateStack(view, [vaultConfigPack], config.compliance.suppressions);
    expect(violations(findings)).toEqual([]);
    const suppressed = findings.filter((f) => f.suppression);
    expect(suppressed.map(describeFinding)).toEqual([expect.stringMatching(/^VCF-POL-001 vault_policy\.policies_terraform-ci_/)]);
    expect(suppressed[0].suppression?.reason.length).toBeGreaterThanOrEqual(10);
  });

  it("evaluates every rule against real resources", () => {
    const evaluated = new Set(evaluateStack(view, [vaultConfigPack], []).map((f) => f.rule.id));
    expect([...evaluated].sort()).toEqual(vaultConfigPack.rules.map((r) => r.id).sort());
  });
});
