/**
 * Kubernetes service accounts that IRSA roles trust. The backup stack binds each role's trust policy to one of
 * these names and the cluster stack creates the service accounts with the same names, so both sides agree.
 * All three live in `cluster.namespace`.
 */

/** The Vault server pods (auto-unseal with the KMS unseal key). */
export const VAULT_SERVER_SERVICE_ACCOUNT = "vault";

/** The Raft snapshot CronJob (writes snapshots to the bucket). */
export const SNAPSHOT_WRITER_SERVICE_ACCOUNT = "vault-raft-snapshot";

/** The quarterly restore drill (reads snapshots back). */
export const RESTORE_DRILL_SERVICE_ACCOUNT = "vault-restore-drill";

/** The same names as one object, for code that takes them together (the cluster stack's constructs). */
export const SERVICE_ACCOUNTS = {
  vaultServer: VAULT_SERVER_SERVICE_ACCOUNT,
  raftSnapshot: SNAPSHOT_WRITER_SERVICE_ACCOUNT,
  restoreDrill: RESTORE_DRILL_SERVICE_ACCOUNT,
} as const;
