import { Testing, TerraformStack } from "cdktf";
import { RaftAutopilot } from "../../constructs/raft-autopilot";
import { configFor, onlyResource, synthJson } from "../helpers";

function build(voters: number): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new RaftAutopilot(stack, "autopilot", { ...configFor("prod").vault.autopilot, voters });
  return synthJson(stack);
}

describe("RaftAutopilot", () => {
  it("cleans up dead servers but never below the voter count, with thresholds from config", () => {
    expect(onlyResource(build(5), "vault_raft_autopilot")).toEqual({
      cleanup_dead_servers: true,
      min_quorum: 5,
      dead_server_last_contact_threshold: "10m",
      server_stabilization_time: "10s",
      last_contact_threshold: "10s",
      max_trailing_logs: 1000,
    });
  });

  it("fails if fewer than three voters are given", () => {
    expect(() => build(1)).toThrow(/voters must be at least 3/);
  });
});
