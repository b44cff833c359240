import { policyPrivilegedPaths } from "../../../../compliance/packs/vault-config/policy-privileged-paths";
import { blockOf, configStack } from "./fixtures";

const withPolicy = async (text: string) => {
  const view = configStack((j) => (j.resource.vault_policy.app.policy = text));
  return policyPrivilegedPaths.check(blockOf(view, "vault_policy.app"), view);
};

describe("VCF-POL-001 policyPrivilegedPaths", () => {
  it("is compliant for a policy that reads its own paths and denies sys/", async () => {
    const view = configStack();
    expect(policyPrivilegedPaths.check(blockOf(view, "vault_policy.app"), view)).toEqual({
      status: "compliant",
      evidence: "vault_policy.app (app) grants no sudo and no writes under sys/, auth/, identity/",
    });
  });

  it("exempts only the platform-admin policy", () => {
    const view = configStack();
    expect(policyPrivilegedPaths.check(blockOf(view, "vault_policy.admin"), view)).toEqual({
      status: "compliant",
      evidence: "vault_policy.admin name = platform-admin (the administrative policy)",
    });
  });

  it("is non-compliant for sudo anywhere and writes to policy, auth and identity paths", async () => {
    const outcome = await withPolicy(
      'path "pki/*" { capabilities = ["read", "sudo"] }\n' +
        'path "sys/policies/acl/*" { capabilities = ["create", "update"] }\n' +
        'path "auth/token/create" { capabilities = ["update"] }\n' +
        'path "identity/entity" { policy = "write" }\n',
    );
    expect(outcome).toEqual({
      status: "non-compliant",
      found:
        'vault_policy.app (app) path "auth/token/create" capabilities ["update"], path "identity/entity" capabilities ["create","update","delete"], ' +
        'path "pki/*" capabilities ["sudo"], path "sys/policies/acl/*" capabilities ["create","update"]',
    });
  });

  it("is non-compliant for a glob that reaches sys/ (\"*\", \"s*\", \"+/...\")", async () => {
    for (const path of ["*", "s*", "+/mounts/x"]) {
      expect(await withPolicy(`path "${path}" { capabilities = ["patch"] }\n`)).toMatchObject({ status: "non-compliant" });
    }
    expect(await withPolicy('path "secret/*" { capabilities = ["create", "update", "delete"] }\n')).toMatchObject({ status: "compliant" });
  });
});
