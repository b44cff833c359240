import { uiNotPublic } from "../../../../compliance/packs/vault-server/ui-not-public";
import { check } from "./fixtures";

describe("VLT-NET-002 UI not public", () => {
  it("is compliant with the UI off", async () => {
    expect(await check(uiNotPublic)).toEqual({ status: "compliant", evidence: "values ui.enabled = false" });
  });

  it("is compliant with the UI on a ClusterIP service", async () => {
    expect(await check(uiNotPublic, { values: (v) => (v.ui.enabled = true) })).toEqual({
      status: "compliant",
      evidence: 'values ui.enabled = true, ui.serviceType = "ClusterIP"',
    });
  });

  it("is non-compliant with a LoadBalancer, even while the UI is off", async () => {
    expect(await check(uiNotPublic, { values: (v) => (v.ui.serviceType = "LoadBalancer") })).toEqual({
      status: "non-compliant",
      found: 'values ui.serviceType = "LoadBalancer"',
    });
  });

  it("is non-compliant with the UI on a NodePort", async () => {
    const outcome = await check(uiNotPublic, { values: (v) => (v.ui = { enabled: "true", serviceType: "NodePort" }) });
    expect(outcome).toEqual({
      status: "non-compliant",
      found: 'values ui.enabled = true with values ui.serviceType = "NodePort" (reachable from outside the cluster)',
    });
  });
});
