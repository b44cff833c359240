import { metricsAuthenticated } from "../../../../compliance/packs/vault-server/metrics-authenticated";
import { check, hclWith } from "./fixtures";

const OPEN_METRICS = 'tls_min_version = "tls12"\n  telemetry {\n    unauthenticated_metrics_access = true\n  }';

describe("VLT-TEL-001 metrics need a token", () => {
  it("is compliant when no listener opens the metrics endpoint", async () => {
    expect(await check(metricsAuthenticated)).toEqual({
      status: "compliant",
      evidence: "server.ha.raft.config: no listener sets telemetry.unauthenticated_metrics_access (1 listener(s))",
    });
  });

  it("is non-compliant when a listener serves metrics without a token", async () => {
    expect(await check(metricsAuthenticated, { values: hclWith('tls_min_version = "tls12"', OPEN_METRICS) })).toEqual({
      status: "non-compliant",
      found: 'server.ha.raft.config listener "tcp"[0] telemetry.unauthenticated_metrics_access = true',
    });
  });

  it("reads the flag written as a string too", async () => {
    const asString = OPEN_METRICS.replace("= true", '= "true"');
    expect((await check(metricsAuthenticated, { values: hclWith('tls_min_version = "tls12"', asString) })).status).toBe("non-compliant");
  });
});
