/**
 * Names and paths Vault keeps for itself, from hashicorp/vault:
 * - vault/policy_store.go: `immutablePolicies` (root, response-wrapping, control-group) cannot be written, and
 *   `nonAssignablePolicies` (response-wrapping, control-group) cannot be given to a token ("cannot assign policy");
 *   `default` can be written, and what is written replaces the policy every token carries unless its role sets
 *   token_no_default_policy; token creation refuses `root` from an auth method ("auth methods cannot create root
 *   tokens", vault/request_handling.go).
 * - vault/mount.go: `protectedMounts` (audit/, auth/, sys/, cubbyhole/, identity/) cannot be mounted at or under;
 *   vault/router.go `MountConflict` refuses a mount at, above or below an existing one ("path is already in use at").
 * - vault/auth.go: the token store is the auth mount `token/` (enableCredential refuses "token").
 */

/** Policy names Vault reserves, each with what writing or attaching it would do. */
export const RESERVED_POLICY_NAMES: ReadonlyMap<string, string> = new Map([
  ["default", "writing it replaces the default policy every token carries (every identity's grants would change)"],
  ["root", "Vault refuses to write it and auth methods cannot issue root tokens"],
  ["response-wrapping", "Vault refuses to write it and to assign it to a token"],
  ["control-group", "Vault refuses to write it and to assign it to a token"],
]);

/** First path segments no secrets engine may be mounted at or under. */
export const PROTECTED_MOUNT_PREFIXES: readonly string[] = ["audit", "auth", "cubbyhole", "identity", "sys"];

/** The auth mount path of Vault's token store. */
export const TOKEN_AUTH_PATH = "token";
