import { providerConnection } from "../../../../compliance/packs/vault-config/provider-connection";
import { blockOf, configStack } from "./fixtures";

describe("VCF-PRV-001 providerConnection", () => {
  it("is compliant with https and a JWT login that carries no literal secret", () => {
    const view = configStack();
    expect(providerConnection.check(blockOf(view, "provider.vault"), view)).toEqual({
      status: "compliant",
      evidence: "provider.vault address = https://vault.example:8200, ca_cert_file = /etc/vault-ca/ca.crt, no token, no literal login secret",
    });
  });

  it("accepts a login secret from a sensitive variable", () => {
    const view = configStack((j) => (j.provider.vault[0].auth_login_jwt[0].jwt = "${var.vault_jwt}"));
    expect(providerConnection.check(blockOf(view, "provider.vault"), view).status).toBe("compliant");
  });

  it("accepts an address variable whose default and validation allow only https addresses", () => {
    const view = configStack((j) => {
      j.provider.vault[0].address = "${var.vault_address}";
      j.variable = {
        vault_address: {
          default: "https://vault-active.vault.svc:8200",
          validation: [{ condition: '${contains(["https://vault-active.vault.svc:8200", "https://127.0.0.1:8200"], var.vault_address)}' }],
        },
      };
    });
    expect(providerConnection.check(blockOf(view, "provider.vault"), view)).toEqual({
      status: "compliant",
      evidence:
        "provider.vault address = one of https://vault-active.vault.svc:8200, https://127.0.0.1:8200, ca_cert_file = /etc/vault-ca/ca.crt, no token, no literal login secret",
    });
  });

  it("is non-compliant with an unconstrained address variable or one that allows http", () => {
    const free = configStack((j) => {
      j.provider.vault[0].address = "${var.vault_address}";
      j.variable = { vault_address: { default: "https://vault-active.vault.svc:8200" } };
    });
    expect(providerConnection.check(blockOf(free, "provider.vault"), free)).toMatchObject({ status: "non-compliant" });
    const http = configStack((j) => {
      j.provider.vault[0].address = "${var.vault_address}";
      j.variable = { vault_address: { default: "https://a:8200", validation: [{ condition: '${contains(["https://a:8200", "http://b:8200"], var.vault_address)}' }] } };
    });
    expect(providerConnection.check(blockOf(http, "provider.vault"), http)).toMatchObject({ status: "non-compliant" });
  });

  it("is non-compliant without a CA file or with TLS verification off", () => {
    const noCa = configStack((j) => delete j.provider.vault[0].ca_cert_file);
    expect(providerConnection.check(blockOf(noCa, "provider.vault"), noCa)).toEqual({
      status: "non-compliant",
      found: "provider.vault ca_cert_file is not set (Vault's CA is private)",
    });
    const skip = configStack((j) => (j.provider.vault[0].skip_tls_verify = true));
    expect(providerConnection.check(blockOf(skip, "provider.vault"), skip)).toEqual({ status: "non-compliant", found: "provider.vault skip_tls_verify is set" });
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
