import { providerConnection } from "../../../../compliance/packs/vault-config/provider-connection";
import { blockOf, configStack } from "./fixtures";

describe("VCF-PRV-001 providerConnection", () => {
  it("is compliant with https and a JWT login that carries no literal secret", () => {
    const view = configStack();
    expect(providerConnection.check(blockOf(view, "provider.vault"), view)).toEqual({
      status: "compliant",
      evidence: "provider.vault address = https://vault.example:8200, no token, no literal login secret",
    });
  });

  it("accepts a login secret from a sensitive variable", () => {
    const view = configStack((j) => (j.provider.vault[0].auth_login_jwt[0].jwt = "${var.vault_jwt}"));
    expect(providerConnection.check(blockOf(view, "provider.vault"), view).status).toBe("compliant");
  });

  it("is non-compliant with http, a token, or a literal secret in a login block", () => {
    const view = configStack((j) => {
      Object.assign(j.provider.vault[0], { address: "http://vault:8200", token: "${var.token}" });
      j.provider.vault[0].auth_login_userpass = [{ username: "ci", password: "hunter2" }];
    });
    expect(providerConnection.check(blockOf(view, "provider.vault"), view)).toEqual({
      status: "non-compliant",
      found: 'provider.vault address = "http://vault:8200" (https:// required); token is set in the provider block; literal credential at auth_login_userpass[0].password',
    });
  });
});
