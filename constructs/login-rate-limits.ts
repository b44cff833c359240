import { Construct } from "constructs";
import { QuotaRateLimit } from "@cdktf/provider-vault/lib/quota-rate-limit";

export interface LoginRateLimitsProps {
  /**
   * The auth mounts: `mount` is the literal path from config (it names the quota), `path` the mount's reference
   * (so each quota is created after its mount).
   */
  readonly mounts: readonly { readonly mount: string; readonly path: string }[];
  /** Login requests allowed per interval, per client IP and Vault node. */
  readonly rate: number;
  readonly intervalSeconds: number;
  /** How long a client that went over the rate is refused. */
  readonly blockIntervalSeconds: number;
}

/**
 * A rate-limit quota on the login path of each auth mount (`auth/<mount>/login`): guessing AppRole secret IDs or
 * replaying tokens at the login endpoints is slowed to `rate` per interval per client, and a client over the rate is
 * refused for blockInterval. Vault applies the most specific quota, so these leave every other path unlimited.
 */
export class LoginRateLimits extends Construct {
  /** Quota name by mount, e.g. `login-approle`. */
  public readonly quotaNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: LoginRateLimitsProps) {
    super(scope, id);
    if (!(props.rate > 0) || props.intervalSeconds < 1 || props.blockIntervalSeconds < 0) {
      throw new Error(
        `LoginRateLimits: rate must be positive and intervals at least 1s (got rate ${props.rate}, interval ${props.intervalSeconds}s, block ${props.blockIntervalSeconds}s)`,
      );
    }
    const names: Record<string, string> = {};
    for (const { mount, path } of props.mounts) {
      const name = `login-${mount.replace(/\//g, "-")}`;
      names[mount] = name;
      new QuotaRateLimit(this, name, {
        name,
        path: `auth/${path}/login`,
        rate: props.rate,
        interval: props.intervalSeconds,
        blockInterval: props.blockIntervalSeconds,
      });
    }
    this.quotaNames = names;
  }
}
