import { approleRoles } from "../../../../compliance/packs/vault-config/approle-roles";
import { blockOf, configStack } from "./fixtures";

const role = "vault_approle_auth_backend_role.app";

describe("VCF-AUTH-002 approleRoles", () => {
  it("is compliant with a bound, expiring, single-use secret ID and a finite token max TTL", () => {
    const view = configStack();
    expect(approleRoles.check(blockOf(view, role), view)).toEqual({
      status: "compliant",
      evidence: `${role} bind_secret_id = true, secret_id_ttl = 7776000, secret_id_num_uses = 1, token_max_ttl = 28800`,
    });
  });

  it("is non-compliant without a secret ID or with unlimited TTLs and uses", () => {
    const view = configStack((j) => {
      Object.assign(j.resource.vault_approle_auth_backend_role.app, { bind_secret_id: false, secret_id_ttl: 0, secret_id_num_uses: 0 });
      delete j.resource.vault_approle_auth_backend_role.app.token_max_ttl;
    });
    expect(approleRoles.check(blockOf(view, role), view)).toEqual({
      status: "non-compliant",
      found: `${role} bind_secret_id = false, secret_id_ttl = 0 (> 0 required), secret_id_num_uses = 0 (> 0 required, or 0 with secret_id_bound_cidrs), token_max_ttl = (unset, unlimited) (> 0 required)`,
    });
  });

  it("is compliant with unlimited uses of a secret ID bound to networks", () => {
    const view = configStack((j) => Object.assign(j.resource.vault_approle_auth_backend_role.app, { secret_id_num_uses: 0, secret_id_bound_cidrs: ["10.0.0.0/16"] }));
    expect(approleRoles.check(blockOf(view, role), view)).toEqual({
      status: "compliant",
      evidence: `${role} bind_secret_id = true, secret_id_ttl = 7776000, secret_id_num_uses = 0 (secret_id_bound_cidrs 10.0.0.0/16), token_max_ttl = 28800`,
    });
  });

  it("is non-compliant with unlimited uses of a secret ID bound to no network", () => {
    const view = configStack((j) => {
      Object.assign(j.resource.vault_approle_auth_backend_role.app, { secret_id_num_uses: 0 });
      delete j.resource.vault_approle_auth_backend_role.app.secret_id_bound_cidrs;
    });
    expect(approleRoles.check(blockOf(view, role), view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("secret_id_num_uses = 0 (> 0 required, or 0 with secret_id_bound_cidrs)") });
  });
});
