import type { App } from "cdktf";
import type { PolicySet } from "../config/policies";
import type { EnvironmentConfig } from "../config/schema";
import { VaultBackupStack } from "./vault-backup-stack";
import { VaultClusterStack } from "./vault-cluster-stack";
import { VaultConfigStack } from "./vault-config-stack";

export interface EnvironmentStacks {
  readonly backup: VaultBackupStack;
  readonly cluster: VaultClusterStack;
  readonly vaultConfig: VaultConfigStack;
}

/**
 * The three stacks of one environment, wired backup → cluster → config. The dependencies are explicit, so
 * `cdktf deploy '*-<env>'` (which orders by manifest.json) applies them in that order: the config stack shares no
 * Terraform reference with the cluster stack, yet needs the Vault it deploys to be running.
 */
/** The stack ids of one environment (what `cdktf deploy` and the state keys name). */
export function stackIds(env: string): { backup: string; cluster: string; config: string } {
  return { backup: `vault-backup-${env}`, cluster: `vault-cluster-${env}`, config: `vault-config-${env}` };
}

export function addEnvironment(app: App, config: EnvironmentConfig, policies: PolicySet): EnvironmentStacks {
  const env = config.environment;
  const backup = new VaultBackupStack(app, stackIds(env).backup, { config });
  const cluster = new VaultClusterStack(app, stackIds(env).cluster, { config, backup: backup.handles });
  const vaultConfig = new VaultConfigStack(app, stackIds(env).config, { config, cluster: cluster.handles, policies });
  cluster.addDependency(backup);
  vaultConfig.addDependency(cluster);
  return { backup, cluster, vaultConfig };
}
