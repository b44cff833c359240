import { Construct } from "constructs";
import { pinAddress } from "./stable-address";
import { AuthBackend } from "@cdktf/provider-vault/lib/auth-backend";
import { KubernetesAuthBackendConfig } from "@cdktf/provider-vault/lib/kubernetes-auth-backend-config";
import { KubernetesAuthBackendRole } from "@cdktf/provider-vault/lib/kubernetes-auth-backend-role";
import { durationSeconds } from "../config/format-rules";

export interface KubernetesAuthProps {
  /** Mount path of the auth method. */
  readonly path: string;
  /** Kubernetes API server Vault sends TokenReviews to. */
  readonly host: string;
  /**
   * Expected `iss` of service account tokens.
   * @default - Vault does not check the issuer (Kubernetes validates the token in the TokenReview anyway)
   */
  readonly issuer?: string;
  /** Default and maximum lease TTL of the mount (Vault durations). */
  readonly ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string };
}

/**
 * The Kubernetes auth method. Vault runs in the cluster, so the CA certificate and the token reviewer JWT are
 * left unset: Vault reads its own pod's service account CA and token, which Kubernetes rotates.
 */
export class KubernetesAuth extends Construct {
  /** The auth mount's path attribute. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: KubernetesAuthProps) {
    super(scope, id);
    const backend = new AuthBackend(this, "backend", {
      type: "kubernetes",
      path: props.path,
      description: "Kubernetes service account login",
      tune: [authTune(props.ttls)],
    });
    pinAddress(backend, id);
    this.path = backend.path;
    new KubernetesAuthBackendConfig(this, "config", {
      backend: backend.path,
      kubernetesHost: props.host,
      issuer: props.issuer,
      disableIssValidation: props.issuer === undefined,
    });
  }
}

/** The tuning every auth mount gets: lease TTLs, and not listed on the unauthenticated login page. */
export function authTune(ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string }) {
  return {
    defaultLeaseTtl: `${durationSeconds(ttls.defaultLeaseTtl)}s`,
    maxLeaseTtl: `${durationSeconds(ttls.maxLeaseTtl)}s`,
    listingVisibility: "hidden",
  };
}

export interface KubernetesAuthRoleProps {
  /** The auth mount's path (a handle, so the role is created after the mount). */
  readonly backend: string;
  readonly roleName: string;
  /** Service accounts that may log in; explicit names, never `*`. */
  readonly serviceAccounts: readonly string[];
  /** Their namespaces; explicit names, never `*`. */
  readonly namespaces: readonly string[];
  /** Audience the service account token must carry. */
  readonly audience: string;
  readonly tokenTtl: string;
  readonly tokenMaxTtl: string;
  /** Policy names (handles of the policy resources). */
  readonly policies: readonly string[];
  /**
   * Leave Vault's built-in `default` policy off the role's tokens (`token_no_default_policy`).
   * @default false
   */
  readonly tokenNoDefaultPolicy?: boolean;
}

/** A Kubernetes auth role bound to named service accounts in named namespaces. */
export class KubernetesAuthRole extends Construct {
  constructor(scope: Construct, id: string, props: KubernetesAuthRoleProps) {
    super(scope, id);
    const wildcard = [...props.serviceAccounts, ...props.namespaces].filter((n) => n.includes("*"));
    if (wildcard.length > 0) {
      throw new Error(`KubernetesAuthRole ${props.roleName}: service accounts and namespaces must be explicit names, not wildcards (got ${wildcard.join(", ")})`);
    }
    if (props.serviceAccounts.length === 0 || props.namespaces.length === 0) {
      throw new Error(`KubernetesAuthRole ${props.roleName}: must bind at least one service account and one namespace`);
    }
    new KubernetesAuthBackendRole(this, "role", {
      backend: props.backend,
      roleName: props.roleName,
      boundServiceAccountNames: [...props.serviceAccounts],
      boundServiceAccountNamespaces: [...props.namespaces],
      audience: props.audience,
      tokenTtl: durationSeconds(props.tokenTtl),
      tokenMaxTtl: durationSeconds(props.tokenMaxTtl),
      tokenPolicies: [...props.policies],
      tokenNoDefaultPolicy: props.tokenNoDefaultPolicy ?? false,
    });
  }
}
