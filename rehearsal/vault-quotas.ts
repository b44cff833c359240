/**
 * Which rate-limit quota Vault applies to a request, and which paths of an auth method are open to anyone.
 *
 * - The paths a client can call without a token are each auth method's `PathsSpecial.Unauthenticated`:
 *   approle (builtin/credential/approle/backend.go) and kubernetes (vault-plugin-auth-kubernetes backend.go):
 *   `login`; jwt and oidc (vault-plugin-auth-jwt backend.go, one plugin for both mount types): `login`,
 *   `oidc/auth_url`, `oidc/callback`. Vault's router treats every such path as a login path.
 * - vault/quotas/quotas.go (queryQuota): the most specific quota wins: one whose path is the mount plus the request's
 *   path suffix (a trailing `*` matches any suffix with that prefix), then one on the mount, then the namespace,
 *   then the global one (empty path).
 *
 * Imported by tests only.
 */
export const UNAUTHENTICATED_PATHS: Readonly<Record<string, readonly string[]>> = {
  approle: ["login"],
  kubernetes: ["login"],
  jwt: ["login", "oidc/auth_url", "oidc/callback"],
  oidc: ["login", "oidc/auth_url", "oidc/callback"],
};

export interface Quota {
  readonly name: string;
  /** As configured: "" (global), "auth/<mount>/" or "auth/<mount>" (a mount), or "auth/<mount>/<suffix>". */
  readonly path: string;
}

const withSlash = (p: string) => (p.endsWith("/") ? p : `${p}/`);

/** The quota Vault applies to `requestPath` on the mount at `mountPath` (e.g. "auth/oidc/"), or undefined. */
export function applicableQuota<Q extends Quota>(quotas: readonly Q[], mountPath: string, requestPath: string): Q | undefined {
  const mount = withSlash(mountPath);
  if (!requestPath.startsWith(mount)) throw new Error(`${requestPath} is not on the mount ${mount}`);
  const suffix = requestPath.slice(mount.length);
  const suffixQuota = quotas.find((q) => {
    if (!q.path.startsWith(mount) || q.path === mount) return false;
    const s = q.path.slice(mount.length);
    return s.endsWith("*") ? suffix.startsWith(s.slice(0, -1)) : s === suffix;
  });
  return suffixQuota ?? quotas.find((q) => withSlash(q.path) === mount) ?? quotas.find((q) => q.path === "");
}
