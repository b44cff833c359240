import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import { OidcAuth, OidcAuthRole } from "../../constructs/oidc-auth";
import { configFor, onlyResource, synthJson } from "../helpers";

function stack() {
  const s = new TerraformStack(Testing.app(), "test");
  new VaultProvider(s, "vault", { address: "https://vault.example:8200" });
  return s;
}

describe("OidcAuth", () => {
  const oidc = configFor("prod").vault.auth.oidc!;

  it("mounts the OIDC method against the configured identity provider, the client secret from a variable", () => {
    const s = stack();
    const secret = new TerraformVariable(s, "oidc_client_secret", { type: "string", sensitive: true });
    new OidcAuth(s, "oidc", { ...oidc, clientSecret: secret.stringValue });
    expect(onlyResource(synthJson(s), "vault_jwt_auth_backend")).toMatchObject({
      type: "oidc",
      path: oidc.path,
      oidc_discovery_url: oidc.discoveryUrl,
      bound_issuer: oidc.discoveryUrl,
      oidc_client_id: oidc.clientId,
      oidc_client_secret: "${var.oidc_client_secret}",
    });
  });

  it("fails if the client secret is a literal", () => {
    expect(() => new OidcAuth(stack(), "oidc", { ...oidc, clientSecret: "s3cr3t" })).toThrow(/clientSecret must be a reference to a sensitive variable/);
  });

  it("binds a role to the configured groups, the client id as audience, and the CLI callback", () => {
    const s = stack();
    const common = { backend: "oidc", clientId: oidc.clientId, groupsClaim: oidc.groupsClaim, userClaim: oidc.userClaim, scopes: oidc.scopes, redirectUris: oidc.redirectUris };
    new OidcAuthRole(s, "role", { ...common, roleName: "platform-admin", groups: ["vault-admins", "sre"], tokenTtl: "1h", tokenMaxTtl: "4h", policies: ["platform-admin"] });
    expect(onlyResource(synthJson(s), "vault_jwt_auth_backend_role")).toMatchObject({
      role_type: "oidc",
      role_name: "platform-admin",
      bound_audiences: [oidc.clientId],
      bound_claims: { [oidc.groupsClaim]: "vault-admins,sre" },
      bound_claims_type: "string",
      user_claim: oidc.userClaim,
      allowed_redirect_uris: ["http://localhost:8250/oidc/callback"],
      token_policies: ["platform-admin"],
      token_ttl: 3600,
      token_max_ttl: 14400,
    });
    expect(() => new OidcAuthRole(stack(), "r", { ...common, roleName: "x", groups: ["*"], tokenTtl: "1h", tokenMaxTtl: "4h", policies: ["p"] })).toThrow(
      /must bind named groups/,
    );
  });
});

describe("OIDC config", () => {
  it("fails if an identity logs in with oidc but vault.auth.oidc is not configured", () => {
    expect(() => configFor("dev", (raw) => delete raw.vault.auth.oidc)).toThrow(/platform\[\d+\]\.auth\.method: needs vault\.auth\.oidc/);
  });

  it("fails if a group name holds a comma (Vault would read it as two groups)", () => {
    expect(() =>
      configFor("dev", (raw) => {
        const admin = raw.platform.find((i: any) => i.auth.method === "oidc");
        admin.auth.groups = ["a,b"];
      }),
    ).toThrow(/auth\.groups\[0\]: must be one group name/);
  });
});
