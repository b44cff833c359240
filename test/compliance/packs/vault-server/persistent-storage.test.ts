import { persistentStorage } from "../../../../compliance/packs/vault-server/persistent-storage";
import { check } from "./fixtures";

describe("VLT-STO-001 persistent data and audit storage", () => {
  it("is compliant with both volumes enabled", async () => {
    expect(await check(persistentStorage)).toEqual({
      status: "compliant",
      evidence: "values server.dataStorage.enabled = true, server.auditStorage.enabled = true",
    });
  });

  it("is non-compliant without audit storage", async () => {
    expect(await check(persistentStorage, { values: (v) => delete v.server.auditStorage })).toEqual({
      status: "non-compliant",
      found: "values server.auditStorage.enabled is not set",
    });
  });

  it("is non-compliant without data storage", async () => {
    expect(await check(persistentStorage, { values: (v) => (v.server.dataStorage.enabled = false) })).toEqual({
      status: "non-compliant",
      found: "values server.dataStorage.enabled = false",
    });
  });
});
