import { Construct } from "constructs";
import { pinAddress } from "./stable-address";
import { AuthBackend } from "@cdktf/provider-vault/lib/auth-backend";
import { ApproleAuthBackendRole } from "@cdktf/provider-vault/lib/approle-auth-backend-role";
import { durationSeconds } from "../config/format-rules";
import { authTune } from "./kubernetes-auth";

export interface AppRoleAuthProps {
  /** Mount path of the auth method. */
  readonly path: string;
  /** Default and maximum lease TTL of the mount (Vault durations). */
  readonly ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string };
}

/** The AppRole auth method, for workloads outside Kubernetes. */
export class AppRoleAuth extends Construct {
  /** The auth mount's path attribute. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: AppRoleAuthProps) {
    super(scope, id);
    const backend = new AuthBackend(this, "backend", {
      type: "approle",
      path: props.path,
      description: "AppRole login (role id + secret id)",
      tune: [authTune(props.ttls)],
    });
    pinAddress(backend, id);
    this.path = backend.path;
  }
}

export interface AppRoleAuthRoleProps {
  /** The auth mount's path (a handle, so the role is created after the mount). */
  readonly backend: string;
  readonly roleName: string;
  /** Lifetime of a secret id (Vault duration): the rotation period of the credential. */
  readonly secretIdTtl: string;
  /** Logins a secret id allows; 0 (unlimited within its TTL) only with `secretIdBoundCidrs`. */
  readonly secretIdNumUses: number;
  readonly tokenTtl: string;
  readonly tokenMaxTtl: string;
  /**
   * Source addresses from which the issued token may be used.
   * @default - no restriction
   */
  readonly tokenBoundCidrs?: readonly string[];
  /**
   * Source addresses from which the secret id may be used to log in.
   * @default - no restriction
   */
  readonly secretIdBoundCidrs?: readonly string[];
  /** Policy names (handles of the policy resources). */
  readonly policies: readonly string[];
  /**
   * Leave Vault's built-in `default` policy off the role's tokens (`token_no_default_policy`).
   * @default false
   */
  readonly tokenNoDefaultPolicy?: boolean;
}

/** An AppRole role: login needs the role id and a secret id, which expires and is used a limited number of times. */
export class AppRoleAuthRole extends Construct {
  constructor(scope: Construct, id: string, props: AppRoleAuthRoleProps) {
    super(scope, id);
    const bound = (props.secretIdBoundCidrs ?? []).length > 0;
    if (!Number.isInteger(props.secretIdNumUses) || props.secretIdNumUses < 0 || (props.secretIdNumUses === 0 && !bound)) {
      throw new Error(
        `AppRoleAuthRole ${props.roleName}: secretIdNumUses must be at least 1, or 0 (unlimited) with secretIdBoundCidrs (got ${props.secretIdNumUses})`,
      );
    }
    const cidrs = (list?: readonly string[]) => (list && list.length > 0 ? [...list] : undefined);
    const role = new ApproleAuthBackendRole(this, "role", {
      backend: props.backend,
      roleName: props.roleName,
      bindSecretId: true,
      secretIdTtl: durationSeconds(props.secretIdTtl),
      secretIdNumUses: props.secretIdNumUses,
      secretIdBoundCidrs: cidrs(props.secretIdBoundCidrs),
      tokenBoundCidrs: cidrs(props.tokenBoundCidrs),
      tokenTtl: durationSeconds(props.tokenTtl),
      tokenMaxTtl: durationSeconds(props.tokenMaxTtl),
      tokenPolicies: [...props.policies],
      tokenNoDefaultPolicy: props.tokenNoDefaultPolicy ?? false,
    });
    // Role names are unique per auth method (config validation), and the role id and secret ids live under it.
    pinAddress(role, "approle-role", props.roleName);
  }
}
