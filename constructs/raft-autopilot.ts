import { Construct } from "constructs";
import { RaftAutopilot as RaftAutopilotResource } from "@cdktf/provider-vault/lib/raft-autopilot";

export interface RaftAutopilotProps {
  /** Raft voters the cluster runs with: the minimum quorum autopilot keeps when it removes dead servers. */
  readonly voters: number;
  /** A server out of contact this long is dead and removed (Vault duration). */
  readonly deadServerLastContactThreshold: string;
  /** A new server must be healthy this long before it becomes a voter (Vault duration). */
  readonly serverStabilizationTime: string;
  /** A server out of contact this long is unhealthy (Vault duration). */
  readonly lastContactThreshold: string;
  /** A server this many log entries behind the leader is unhealthy. */
  readonly maxTrailingLogs: number;
}

/** Raft autopilot: removes dead servers automatically, but never below the configured voter count. */
export class RaftAutopilot extends Construct {
  constructor(scope: Construct, id: string, props: RaftAutopilotProps) {
    super(scope, id);
    if (!Number.isInteger(props.voters) || props.voters < 3) {
      throw new Error(`RaftAutopilot: voters must be at least 3 so min_quorum protects a quorum (got ${props.voters})`);
    }
    new RaftAutopilotResource(this, "config", {
      cleanupDeadServers: true,
      minQuorum: props.voters,
      deadServerLastContactThreshold: props.deadServerLastContactThreshold,
      serverStabilizationTime: props.serverStabilizationTime,
      lastContactThreshold: props.lastContactThreshold,
      maxTrailingLogs: props.maxTrailingLogs,
    });
  }
}
