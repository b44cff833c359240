import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { VaultPolicies } from "../../constructs/vault-policies";
import type { PolicySet } from "../../config/policies";
import { ROOT, defaultPolicies, resourcesOf, synthJson } from "../helpers";

function build(policies: PolicySet, attached: string[]): { json: any; construct: VaultPolicies } {
  const stack = new TerraformStack(Testing.app(), "test");
  const construct = new VaultPolicies(stack, "policies", { policies, attached });
  return { json: synthJson(stack), construct };
}

describe("VaultPolicies", () => {
  it("creates one policy per file, named after the file, whose text is the file's text", async () => {
    const policies = await defaultPolicies();
    const { json } = build(policies, [...policies.keys()]);
    const written = Object.values(resourcesOf(json, "vault_policy"));
    expect(written.map((p: any) => p.name).sort()).toEqual([...policies.keys()].sort());
    for (const p of written) {
      expect(p.policy).toBe(readFileSync(join(ROOT, "policies", `${p.name}.hcl`), "utf8"));
    }
  });

  it("hands out policy-name handles that reference the policy resources", async () => {
    const policies = await defaultPolicies();
    const { construct } = build(policies, [...policies.keys()]);
    expect(construct.handles(["raft-snapshot"])[0]).toMatch(/^\$\{TfToken\[/);
  });

  it("fails if an identity attaches a policy that has no file", async () => {
    const policies = await defaultPolicies();
    expect(() => build(policies, [...policies.keys(), "ghost"])).toThrow(/policy ghost is attached by an identity but has no file policies\/ghost.hcl/);
  });

  it("creates only the policies this environment attaches (another environment may use the others)", async () => {
    const policies = await defaultPolicies();
    const attached = [...policies.keys()].filter((n) => n !== "raft-snapshot");
    const { json } = build(policies, attached);
    expect(Object.values(resourcesOf(json, "vault_policy")).map((p: any) => p.name).sort()).toEqual(attached.sort());
  });

  it("fails if asked for the handle of an unknown policy", async () => {
    const policies = await defaultPolicies();
    const { construct } = build(policies, [...policies.keys()]);
    expect(() => construct.handles(["ghost"])).toThrow(/no policy file policies\/ghost.hcl/);
  });
});
