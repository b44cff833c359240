import { Testing, TerraformStack } from "cdktf";
import { JwtAuth, JwtAuthRole, type JwtAuthRoleProps } from "../../constructs/jwt-auth";
import { configFor, onlyResource, synthJson } from "../helpers";

function build(role?: Partial<JwtAuthRoleProps>): any {
  const stack = new TerraformStack(Testing.app(), "test");
  const auth = new JwtAuth(stack, "jwt", configFor("dev").vault.auth.jwt);
  if (role) {
    new JwtAuthRole(stack, "role", {
      backend: auth.path,
      roleName: "terraform-ci",
      boundAudiences: ["https://github.com/example-org"],
      boundClaims: { repository: "example-org/vault-platform", ref: "refs/heads/main" },
      userClaim: "repository",
      tokenTtl: "30m",
      tokenMaxTtl: "1h",
      policies: ["terraform-ci"],
      ...role,
    });
  }
  return synthJson(stack);
}

describe("JwtAuth", () => {
  it("trusts GitHub Actions OIDC by discovery URL and bound issuer, tuned and hidden", () => {
    expect(onlyResource(build(), "vault_jwt_auth_backend")).toMatchObject({
      type: "jwt",
      path: "jwt",
      oidc_discovery_url: "https://token.actions.githubusercontent.com",
      bound_issuer: "https://token.actions.githubusercontent.com",
      tune: [expect.objectContaining({ default_lease_ttl: "3600s", max_lease_ttl: "86400s", listing_visibility: "hidden" })],
    });
  });

  it("binds the CI role to the audience and exact repository and branch claims", () => {
    expect(onlyResource(build({}), "vault_jwt_auth_backend_role")).toMatchObject({
      backend: expect.stringMatching(/^\$\{vault_jwt_auth_backend\..*\.path\}$/),
      role_name: "terraform-ci",
      role_type: "jwt",
      bound_audiences: ["https://github.com/example-org"],
      bound_claims: { repository: "example-org/vault-platform", ref: "refs/heads/main" },
      bound_claims_type: "string",
      user_claim: "repository",
      token_ttl: 1800,
      token_max_ttl: 3600,
      token_policies: ["terraform-ci"],
    });
  });

  it("fails if a role binds no claim or no audience", () => {
    expect(() => build({ boundClaims: {} })).toThrow(/must bind at least one claim/);
    expect(() => build({ boundAudiences: [] })).toThrow(/must bind at least one audience/);
  });
});
