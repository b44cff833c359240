import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { VaultProvider } from "@cdktf/provider-vault/lib/provider";
import type { PolicySet } from "../config/policies";
import type { EnvironmentConfig } from "../config/schema";
import { configureBackend } from "./backend";
import type { ClusterHandles } from "./vault-cluster-stack";

export interface VaultConfigStackProps {
  readonly config: EnvironmentConfig;
  readonly cluster: ClusterHandles;
  /** Parsed `policies/*.hcl`. */
  readonly policies: PolicySet;
}

/**
 * `vault-config-<env>`: configures a running Vault: secrets engines, auth methods, policies, audit devices,
 * autopilot and the applications. The token comes from VAULT_TOKEN (bootstrap) or the CI JWT login, never from
 * the synthesized JSON.
 */
export class VaultConfigStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: VaultConfigStackProps) {
    super(scope, id);
    const { config, cluster } = props;
    configureBackend(this, id, config.stateBackend);
    new VaultProvider(this, "vault", { address: cluster.vaultAddress });
    throw new Error("VaultConfigStack: not built yet");
  }
}
