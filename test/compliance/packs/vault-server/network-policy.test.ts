import { networkPolicy } from "../../../../compliance/packs/vault-server/network-policy";
import { check } from "./fixtures";

describe("VLT-NET-001 network policy", () => {
  it("is compliant with the chart's network policy on", async () => {
    expect(await check(networkPolicy)).toEqual({ status: "compliant", evidence: "values server.networkPolicy.enabled = true" });
  });

  it("is non-compliant when it is off or unset", async () => {
    expect(await check(networkPolicy, { values: (v) => (v.server.networkPolicy.enabled = false) })).toEqual({
      status: "non-compliant",
      found: "values server.networkPolicy.enabled = false",
    });
    expect(await check(networkPolicy, { values: (v) => delete v.server.networkPolicy })).toEqual({
      status: "non-compliant",
      found: "values server.networkPolicy.enabled is not set",
    });
  });

  it("is non-compliant when a later values document turns it off", async () => {
    const outcome = await check(networkPolicy, { extraValues: ["server:\n  networkPolicy:\n    enabled: false\n"] });
    expect(outcome.status).toBe("non-compliant");
  });
});
