import { pkiRoleNames } from "../../../../compliance/packs/vault-config/pki-role-names";
import { blockOf, configStack } from "./fixtures";

const role = "vault_pki_secret_backend_role.role";

describe("VCF-PKI-002 pkiRoleNames", () => {
  it("is compliant with allow_any_name false and enforce_hostnames true", () => {
    const view = configStack();
    expect(pkiRoleNames.check(blockOf(view, role), view)).toEqual({
      status: "compliant",
      evidence: `${role} allow_any_name = false, enforce_hostnames = true, allowed_domains = ["app.svc.cluster.local"]`,
    });
  });

  it("is non-compliant with allow_any_name true or enforce_hostnames false", () => {
    const view = configStack((j) => Object.assign(j.resource.vault_pki_secret_backend_role.role, { allow_any_name: true, enforce_hostnames: false }));
    expect(pkiRoleNames.check(blockOf(view, role), view)).toEqual({ status: "non-compliant", found: `${role} allow_any_name = true, enforce_hostnames = false` });
  });
});
