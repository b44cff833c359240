import { jwtRoles } from "../../../../compliance/packs/vault-config/jwt-roles";
import { blockOf, configStack } from "./fixtures";

const role = "vault_jwt_auth_backend_role.ci";

describe("VCF-AUTH-003 jwtRoles", () => {
  it("is compliant with bound audiences and a bound claim", () => {
    const view = configStack();
    expect(jwtRoles.check(blockOf(view, role), view)).toEqual({
      status: "compliant",
      evidence: `${role} bound_audiences = ["https://github.com/example-org"], bound_claims = {"repository":"example-org/x"}`,
    });
  });

  it("is non-compliant without audiences or claims", () => {
    const view = configStack((j) => {
      j.resource.vault_jwt_auth_backend_role.ci.bound_audiences = [];
      delete j.resource.vault_jwt_auth_backend_role.ci.bound_claims;
    });
    expect(jwtRoles.check(blockOf(view, role), view)).toEqual({
      status: "non-compliant",
      found: `${role} bound_audiences = [], bound_claims = (unset) and bound_subject unset`,
    });
  });
});
