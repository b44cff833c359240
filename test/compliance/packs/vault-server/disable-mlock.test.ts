import { disableMlock } from "../../../../compliance/packs/vault-server/disable-mlock";
import { check, hclWith } from "./fixtures";

describe("VLT-CFG-001 disable_mlock stated", () => {
  it("is compliant when disable_mlock is set", async () => {
    expect(await check(disableMlock)).toEqual({ status: "compliant", evidence: "server.ha.raft.config disable_mlock = true" });
  });

  it("is non-compliant when disable_mlock is left to the default", async () => {
    expect(await check(disableMlock, { values: hclWith("disable_mlock = true", "") })).toEqual({
      status: "non-compliant",
      found: "server.ha.raft.config does not set disable_mlock",
    });
  });

  it("is non-compliant without a server config", async () => {
    expect(await check(disableMlock, { values: (v) => delete v.server.ha.raft.config })).toEqual({
      status: "non-compliant",
      found: "values server.ha.raft.config is not set (no server configuration)",
    });
  });
});
