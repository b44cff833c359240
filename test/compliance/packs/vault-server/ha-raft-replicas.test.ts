import { haRaftReplicas } from "../../../../compliance/packs/vault-server/ha-raft-replicas";
import { check } from "./fixtures";

describe("VLT-HA-001 HA Raft with an odd number of voters", () => {
  it("is compliant with HA Raft and 3 or 5 replicas", async () => {
    expect(await check(haRaftReplicas)).toEqual({
      status: "compliant",
      evidence: "values server.ha.enabled = true, server.ha.raft.enabled = true, server.ha.replicas = 3",
    });
    expect((await check(haRaftReplicas, { values: (v) => (v.server.ha.replicas = 5) })).status).toBe("compliant");
  });

  it.each([2, 4, 1, 9])("is non-compliant with %i replicas", async (replicas) => {
    expect(await check(haRaftReplicas, { values: (v) => (v.server.ha.replicas = replicas) })).toEqual({
      status: "non-compliant",
      found: `values server.ha.replicas = ${replicas} (expected 3, 5 or 7)`,
    });
  });

  it("is non-compliant without HA or without Raft, naming each", async () => {
    const outcome = await check(haRaftReplicas, {
      values: (v) => {
        v.server.ha.enabled = false;
        delete v.server.ha.raft.enabled;
      },
    });
    expect(outcome).toEqual({ status: "non-compliant", found: "values server.ha.enabled = false; values server.ha.raft.enabled is not set" });
  });

  it("reads a set entry over the values (Helm applies set last)", async () => {
    const outcome = await check(haRaftReplicas, { release: { set: [{ name: "server.ha.replicas", value: "4" }] } });
    expect(outcome).toMatchObject({ status: "non-compliant", found: expect.stringContaining("server.ha.replicas = 4") });
  });

  it("is not applicable to another chart", async () => {
    expect(await check(haRaftReplicas, { release: { chart: "cert-manager" } })).toEqual({ status: "not-applicable" });
  });
});
