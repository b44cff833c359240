import { disruptionBudget } from "../../../../compliance/packs/vault-server/disruption-budget";
import { check } from "./fixtures";

describe("VLT-HA-002 disruption budget within quorum", () => {
  it("is compliant with maxUnavailable 1 for 3 replicas and 2 for 5", async () => {
    expect(await check(disruptionBudget)).toEqual({
      status: "compliant",
      evidence: "values server.ha.disruptionBudget.enabled = true, maxUnavailable = 1 <= 1 for 3 replicas",
    });
    const five = await check(disruptionBudget, {
      values: (v) => {
        v.server.ha.replicas = 5;
        v.server.ha.disruptionBudget.maxUnavailable = 2;
      },
    });
    expect(five.status).toBe("compliant");
  });

  it("is compliant with maxUnavailable left to the chart's quorum-safe default", async () => {
    const outcome = await check(disruptionBudget, { values: (v) => delete v.server.ha.disruptionBudget.maxUnavailable });
    expect(outcome).toMatchObject({ status: "compliant", evidence: expect.stringContaining("chart default") });
  });

  it("is non-compliant when maxUnavailable would break quorum", async () => {
    const outcome = await check(disruptionBudget, { values: (v) => (v.server.ha.disruptionBudget.maxUnavailable = 2) });
    expect(outcome).toEqual({
      status: "non-compliant",
      found: "values server.ha.disruptionBudget.maxUnavailable = 2 with server.ha.replicas = 3 (at most 1 keeps a quorum)",
    });
  });

  it("is non-compliant when the budget is disabled", async () => {
    const outcome = await check(disruptionBudget, { values: (v) => (v.server.ha.disruptionBudget.enabled = false) });
    expect(outcome).toEqual({ status: "non-compliant", found: "values server.ha.disruptionBudget.enabled = false" });
  });
});
