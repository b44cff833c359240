import { Testing } from "cdktf";
import { evaluateStack, violations } from "../../../../compliance/evaluate";
import { dataSafetyPack } from "../../../../compliance/packs/data-safety";
import { destructionSuppressions, preventDestroy } from "../../../../compliance/packs/data-safety/prevent-destroy";
import { STATEFUL_TYPES } from "../../../../config/stateful";
import { addEnvironment } from "../../../../stacks/environment";
import { StackView } from "../../../../synthesized/stack-view";
import { configFor, defaultPolicies, synthJson } from "../../../helpers";

const view = (lifecycle?: unknown) =>
  new StackView("vault-config-test", { resource: { vault_mount: { kv_secret: { path: "secret", type: "kv", ...(lifecycle === undefined ? {} : { lifecycle }) } } } });
const mount = (v: StackView) => v.all()[0]!;

describe("DAT-LIFE-001 preventDestroy", () => {
  it("applies to every stateful resource type", () => {
    expect([...preventDestroy.appliesTo].sort()).toEqual(Object.keys(STATEFUL_TYPES).sort());
  });

  it("is compliant when lifecycle.prevent_destroy is true", () => {
    const v = view({ prevent_destroy: true });
    expect(preventDestroy.check(mount(v), v)).toEqual({ status: "compliant", evidence: "vault_mount.kv_secret lifecycle.prevent_destroy = true" });
  });

  it("is non-compliant without a lifecycle, or with prevent_destroy false", () => {
    for (const [lifecycle, shown] of [[undefined, "(unset)"], [{ prevent_destroy: false }, "false"]] as const) {
      const v = view(lifecycle);
      expect(preventDestroy.check(mount(v), v)).toEqual({
        status: "non-compliant",
        found: `vault_mount.kv_secret lifecycle.prevent_destroy = ${shown}: a plan may destroy it (${STATEFUL_TYPES.vault_mount!.loses})`,
      });
    }
  });

  it("fails synth for an unprotected stateful resource unless a destruction entry names it", () => {
    const v = view({ prevent_destroy: false });
    expect(violations(evaluateStack(v, [dataSafetyPack], []))).toHaveLength(1);
    const suppressions = destructionSuppressions([{ resource: "vault_mount.kv_secret", reason: "retired after migration", owner: "platform-team", expires: "2099-01-01" }]);
    expect(suppressions).toEqual([
      { rule: "DAT-LIFE-001", resource: "vault_mount.kv_secret", reason: "deliberate destruction: retired after migration", owner: "platform-team", expires: "2099-01-01" },
    ]);
    expect(violations(evaluateStack(v, [dataSafetyPack], suppressions))).toEqual([]);
  });

  it.each(["dev", "prod"] as const)("holds for every stateful resource of the default %s config", async (env) => {
    const stacks = Object.values(addEnvironment(Testing.app(), configFor(env), await defaultPolicies()));
    const findings = stacks.flatMap((s) => evaluateStack(new StackView(s.node.id, synthJson(s)), [dataSafetyPack], []));
    expect(findings.length).toBeGreaterThan(10);
    expect(findings.filter((f) => f.outcome.status !== "compliant")).toEqual([]);
  }, 60_000);
});
