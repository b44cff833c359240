import { parse } from "@cdktf/hcl2json";
import { renderVaultServerHcl, type VaultServerHclProps } from "../../constructs/vault-server-hcl";
import { SERVER_HCL_PROPS as base } from "./cluster-fixtures";

const render = (props: Partial<VaultServerHclProps> = {}) => parse("server.hcl", renderVaultServerHcl({ ...base, ...props })) as Promise<any>;

describe("renderVaultServerHcl", () => {
  it("renders a TLS listener with the certificate files and minimum version", async () => {
    const hcl = await render();
    const [tcp] = hcl.listener.tcp;
    expect(tcp).toMatchObject({
      address: "[::]:8200",
      cluster_address: "[::]:8201",
      tls_cert_file: "/tls/tls.crt",
      tls_key_file: "/tls/tls.key",
      tls_client_ca_file: "/tls/ca.crt",
      tls_min_version: "tls13",
    });
    expect(tcp.tls_disable).toBeUndefined();
    expect(tcp.telemetry).toEqual([{ unauthenticated_metrics_access: false }]);
  });

  it("renders raft storage with performance_multiplier 1 and one https retry_join per peer", async () => {
    const [raft] = (await render()).storage.raft;
    expect(raft.path).toBe("/vault/data");
    expect(raft.performance_multiplier).toBe(1);
    expect(raft.retry_join).toEqual([0, 1, 2].map((i) => ({
      leader_api_addr: `https://vault-${i}.vault-internal:8200`,
      leader_ca_cert_file: "/tls/ca.crt",
      leader_tls_servername: `vault-${i}.vault-internal`,
    })));
  });

  it("seals with awskms by key and region only, no static credentials", async () => {
    const hcl = await render();
    expect(hcl.seal.awskms).toEqual([{ kms_key_id: "arn:aws:kms:eu-west-2:111111111111:key/abc", region: "eu-west-2" }]);
  });

  it("states api_addr, cluster_addr, disable_mlock, kubernetes service registration, telemetry and ui", async () => {
    const hcl = await render();
    expect(hcl.api_addr).toBe("https://HOSTNAME.vault-internal:8200");
    expect(hcl.cluster_addr).toBe("https://HOSTNAME.vault-internal:8201");
    expect(hcl.disable_mlock).toBe(true);
    expect(hcl.service_registration).toEqual({ kubernetes: [{}] });
    expect(hcl.telemetry).toEqual([{ prometheus_retention_time: "24h", disable_hostname: true }]);
    expect(hcl.ui).toBe(false);
    expect((await render({ ui: true })).ui).toBe(true);
  });

  it("puts disable_mlock at the start of a line, where the chart looks before appending its own", () => {
    expect(renderVaultServerHcl(base)).toMatch(/^disable_mlock = true$/m);
  });

  it("fails if no retry_join peer is given", () => {
    expect(() => renderVaultServerHcl({ ...base, raft: { retryJoin: [] } })).toThrow(/retryJoin must list at least one peer/);
  });

  it("fails if a retry_join leader address is not https", () => {
    const retryJoin = [{ leaderApiAddr: "http://vault-0.vault-internal:8200", leaderCaCertFile: "/ca", leaderTlsServername: "vault-0" }];
    expect(() => renderVaultServerHcl({ ...base, raft: { retryJoin } })).toThrow(/leaderApiAddr must be an https:\/\/ address/);
  });

  it("fails if a value carries template syntax that Terraform or Helm would expand", () => {
    expect(() => renderVaultServerHcl({ ...base, seal: { kmsKeyId: "${var.key}", region: "eu-west-2" } })).toThrow(/seal.kmsKeyId must not contain/);
    expect(() => renderVaultServerHcl({ ...base, apiAddr: "https://{{ .Release.Name }}:8200" })).toThrow(/apiAddr must not contain/);
  });
});
