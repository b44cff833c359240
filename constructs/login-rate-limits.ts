import { Construct } from "constructs";
import { QuotaRateLimit } from "@cdktf/provider-vault/lib/quota-rate-limit";

/**
 * The paths of each auth method that answer without a token (its backend's `PathsSpecial.Unauthenticated`, which
 * Vault's router treats as login paths): approle (builtin/credential/approle/backend.go) and kubernetes
 * (vault-plugin-auth-kubernetes backend.go) only `login`; jwt and oidc mounts (vault-plugin-auth-jwt backend.go,
 * one plugin for both types) also `oidc/auth_url` and `oidc/callback`, the browser login's two steps.
 */
export const LOGIN_PATHS: Readonly<Record<AuthType, readonly string[]>> = {
  approle: ["login"],
  kubernetes: ["login"],
  jwt: ["login", "oidc/auth_url", "oidc/callback"],
  oidc: ["login", "oidc/auth_url", "oidc/callback"],
};

export type AuthType = "approle" | "kubernetes" | "jwt" | "oidc";

export interface LoginRateLimitsProps {
  /**
   * The auth mounts: `mount` is the literal path from config (it names the quota), `path` the mount's reference
   * (so each quota is created after its mount), `type` the auth method (which decides its login paths).
   */
  readonly mounts: readonly { readonly mount: string; readonly path: string; readonly type: AuthType }[];
  /** Login requests allowed per interval, per client IP and Vault node. */
  readonly rate: number;
  readonly intervalSeconds: number;
  /** How long a client that went over the rate is refused. */
  readonly blockIntervalSeconds: number;
}

/**
 * A rate-limit quota on every login path of each auth mount (`auth/<mount>/login`, and for JWT/OIDC mounts
 * `auth/<mount>/oidc/auth_url` and `.../oidc/callback`): guessing AppRole secret IDs, replaying tokens or flooding
 * the browser login is slowed to `rate` per interval per client, and a client over the rate is refused for
 * blockInterval. Vault applies the most specific quota (vault/quotas/quotas.go: path suffix, then mount), so these
 * leave every other path unlimited.
 */
export class LoginRateLimits extends Construct {
  /** Quota names by mount, e.g. `login-approle`; the `login` path's first. */
  public readonly quotaNames: Readonly<Record<string, readonly string[]>>;

  constructor(scope: Construct, id: string, props: LoginRateLimitsProps) {
    super(scope, id);
    if (!(props.rate > 0) || props.intervalSeconds < 1 || props.blockIntervalSeconds < 0) {
      throw new Error(
        `LoginRateLimits: rate must be positive and intervals at least 1s (got rate ${props.rate}, interval ${props.intervalSeconds}s, block ${props.blockIntervalSeconds}s)`,
      );
    }
    const names: Record<string, string[]> = {};
    for (const { mount, path, type } of props.mounts) {
      names[mount] = LOGIN_PATHS[type].map((loginPath) => {
        // The `login` quota keeps its original name (and Terraform address): login-<mount>.
        const name = [`login-${mount}`, ...(loginPath === "login" ? [] : [loginPath])].join("-").replace(/[/_]/g, "-");
        new QuotaRateLimit(this, name, {
          name,
          path: `auth/${path}/${loginPath}`,
          rate: props.rate,
          interval: props.intervalSeconds,
          blockInterval: props.blockIntervalSeconds,
        });
        return name;
      });
    }
    this.quotaNames = names;
  }
}
