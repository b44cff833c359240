import { Testing, TerraformStack } from "cdktf";
import { AppRoleAuth, AppRoleAuthRole, type AppRoleAuthRoleProps } from "../../constructs/approle-auth";
import { onlyResource, synthJson } from "../helpers";

function build(role?: Partial<AppRoleAuthRoleProps>): any {
  const stack = new TerraformStack(Testing.app(), "test");
  const auth = new AppRoleAuth(stack, "approle", { path: "approle", ttls: { defaultLeaseTtl: "1h", maxLeaseTtl: "8h" } });
  if (role) {
    new AppRoleAuthRole(stack, "role", {
      backend: auth.path,
      roleName: "checktick-app",
      secretIdTtl: "2160h",
      secretIdNumUses: 1,
      tokenTtl: "1h",
      tokenMaxTtl: "8h",
      tokenBoundCidrs: ["10.0.0.0/16"],
      secretIdBoundCidrs: ["10.1.0.0/16"],
      policies: ["checktick-app"],
      ...role,
    });
  }
  return synthJson(stack);
}

describe("AppRoleAuth", () => {
  it("mounts the method tuned: lease TTLs and hidden from the login page", () => {
    expect(onlyResource(build(), "vault_auth_backend")).toMatchObject({
      type: "approle",
      path: "approle",
      tune: [expect.objectContaining({ default_lease_ttl: "3600s", max_lease_ttl: "28800s", listing_visibility: "hidden" })],
    });
  });

  it("requires a secret id with a TTL, limited uses and bound CIDRs", () => {
    expect(onlyResource(build({}), "vault_approle_auth_backend_role")).toMatchObject({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\..*\.path\}$/),
      role_name: "checktick-app",
      bind_secret_id: true,
      secret_id_ttl: 90 * 86400,
      secret_id_num_uses: 1,
      token_ttl: 3600,
      token_max_ttl: 8 * 3600,
      token_bound_cidrs: ["10.0.0.0/16"],
      secret_id_bound_cidrs: ["10.1.0.0/16"],
      token_policies: ["checktick-app"],
    });
  });

  it("leaves CIDR bindings unset when none are given", () => {
    const role = onlyResource(build({ tokenBoundCidrs: [], secretIdBoundCidrs: undefined }), "vault_approle_auth_backend_role");
    expect(role.token_bound_cidrs).toBeUndefined();
    expect(role.secret_id_bound_cidrs).toBeUndefined();
  });

  it("allows unlimited uses of a secret id bound to networks", () => {
    expect(onlyResource(build({ secretIdNumUses: 0 }), "vault_approle_auth_backend_role")).toMatchObject({ secret_id_num_uses: 0, secret_id_bound_cidrs: ["10.1.0.0/16"] });
  });

  it("fails if secret ids have unlimited uses and no network binding", () => {
    expect(() => build({ secretIdNumUses: 0, secretIdBoundCidrs: [] })).toThrow(/secretIdNumUses must be at least 1, or 0 \(unlimited\) with secretIdBoundCidrs/);
  });
});
