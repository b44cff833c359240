import { tlsMinVersion } from "../../../../compliance/packs/vault-server/tls-min-version";
import { check, hclWith } from "./fixtures";

describe("VLT-TLS-002 tls_min_version at least TLS 1.2", () => {
  it("is compliant with tls12 or tls13", async () => {
    expect(await check(tlsMinVersion)).toEqual({ status: "compliant", evidence: 'server.ha.raft.config listener "tcp"[0] tls_min_version = "tls12"' });
    expect((await check(tlsMinVersion, { values: hclWith('"tls12"', '"tls13"') })).status).toBe("compliant");
  });

  it("is non-compliant with tls11", async () => {
    expect(await check(tlsMinVersion, { values: hclWith('"tls12"', '"tls11"') })).toEqual({
      status: "non-compliant",
      found: 'server.ha.raft.config listener "tcp"[0] tls_min_version = "tls11"',
    });
  });

  it("is non-compliant when a listener leaves it unset", async () => {
    expect(await check(tlsMinVersion, { values: hclWith('tls_min_version = "tls12"', "") })).toEqual({
      status: "non-compliant",
      found: 'server.ha.raft.config listener "tcp"[0] tls_min_version is not set',
    });
  });
});
