import { raftJoinTls } from "../../../../compliance/packs/vault-server/raft-join-tls";
import { check, hclWith } from "./fixtures";

describe("VLT-TLS-003 retry_join over verified TLS", () => {
  it("is compliant when every retry_join is https with a CA file", async () => {
    expect(await check(raftJoinTls)).toEqual({
      status: "compliant",
      evidence: "server.ha.raft.config: 2 retry_join, each https with leader_ca_cert_file",
    });
  });

  it("is non-compliant with an http leader address", async () => {
    expect(await check(raftJoinTls, { values: hclWith('"https://vault-1', '"http://vault-1') })).toEqual({
      status: "non-compliant",
      found: 'storage "raft" retry_join[1] leader_api_addr = "http://vault-1.vault-internal:8200"',
    });
  });

  it("is non-compliant without leader_ca_cert_file", async () => {
    const outcome = await check(raftJoinTls, {
      values: hclWith('leader_api_addr = "https://vault-0.vault-internal:8200"\n    leader_ca_cert_file = "/vault/userconfig/vault-tls/ca.crt"', 'leader_api_addr = "https://vault-0.vault-internal:8200"'),
    });
    expect(outcome).toEqual({ status: "non-compliant", found: 'storage "raft" retry_join[0] has no leader_ca_cert_file' });
  });

  it("is non-compliant with an http auto_join scheme", async () => {
    const outcome = await check(raftJoinTls, {
      values: hclWith(
        'leader_api_addr = "https://vault-0.vault-internal:8200"',
        'auto_join = "provider=k8s label_selector=\\"component=server\\""\n    auto_join_scheme = "http"',
      ),
    });
    expect(outcome).toEqual({ status: "non-compliant", found: 'storage "raft" retry_join[0] auto_join_scheme = "http"' });
  });
});
