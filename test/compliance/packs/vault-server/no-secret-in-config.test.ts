import { noSecretInConfig } from "../../../../compliance/packs/vault-server/no-secret-in-config";
import { check, hclWith } from "./fixtures";

describe("VLT-SEC-001 no secret in the server config", () => {
  it("is compliant without credentials or key material", async () => {
    expect(await check(noSecretInConfig)).toEqual({
      status: "compliant",
      evidence: "server.ha.raft.config: no credential attribute and no private key block",
    });
  });

  it("is non-compliant with a token anywhere in the config", async () => {
    const outcome = await check(noSecretInConfig, {
      values: hclWith("storage", 'service_registration "consul" {\n  token = "s.example"\n}\n\nstorage'),
    });
    expect(outcome).toEqual({ status: "non-compliant", found: "server.ha.raft.config contains service_registration.consul.token" });
  });

  it("is non-compliant with an inline private key", async () => {
    const outcome = await check(noSecretInConfig, {
      values: hclWith(
        'leader_ca_cert_file = "/vault/userconfig/vault-tls/ca.crt"\n  }\n}',
        'leader_ca_cert_file = "/vault/userconfig/vault-tls/ca.crt"\n  }\n}\n# -----BEGIN EC PRIVATE KEY----- pasted by mistake',
      ),
    });
    expect(outcome).toEqual({ status: "non-compliant", found: "server.ha.raft.config contains PEM private key block" });
  });

  it("is non-compliant with static seal credentials", async () => {
    const outcome = await check(noSecretInConfig, { values: hclWith('region = "eu-west-2"', 'region = "eu-west-2"\n  secret_key = "example"') });
    expect(outcome).toEqual({ status: "non-compliant", found: "server.ha.raft.config contains seal.awskms.secret_key" });
  });
});
