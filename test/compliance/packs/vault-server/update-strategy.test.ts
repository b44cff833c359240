import { updateStrategy } from "../../../../compliance/packs/vault-server/update-strategy";
import { check } from "./fixtures";

describe("VLT-HA-003 OnDelete update strategy", () => {
  it("is compliant with OnDelete", async () => {
    expect(await check(updateStrategy)).toEqual({ status: "compliant", evidence: 'values server.updateStrategyType = "OnDelete"' });
  });

  it("is non-compliant with RollingUpdate or when unset", async () => {
    expect(await check(updateStrategy, { values: (v) => (v.server.updateStrategyType = "RollingUpdate") })).toEqual({
      status: "non-compliant",
      found: 'values server.updateStrategyType = "RollingUpdate"',
    });
    expect(await check(updateStrategy, { values: (v) => delete v.server.updateStrategyType })).toEqual({
      status: "non-compliant",
      found: "values server.updateStrategyType is not set",
    });
  });
});
