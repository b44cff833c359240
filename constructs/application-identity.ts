import { Construct } from "constructs";
import type { Identity } from "../config/schema";
import { AppRoleAuthRole } from "./approle-auth";
import { JwtAuthRole } from "./jwt-auth";
import { KubernetesAuthRole } from "./kubernetes-auth";
import { OidcAuthRole } from "./oidc-auth";

/** The auth mounts an identity can log in through (their path handles). */
export interface AuthMountHandles {
  readonly kubernetes: string;
  readonly approle: string;
  readonly jwt: string;
  /**
   * The OIDC mount and the settings its roles share.
   * @default - no OIDC mount (an `oidc` identity is then an error)
   */
  readonly oidc?: {
    readonly path: string;
    readonly clientId: string;
    readonly groupsClaim: string;
    readonly userClaim: string;
    readonly scopes: readonly string[];
    readonly redirectUris: readonly string[];
  };
}

export interface ApplicationIdentityProps {
  /** The identity as configured (an entry of `applications` or `platform`). */
  readonly identity: Identity;
  readonly authMounts: AuthMountHandles;
  /** Handles of the identity's policies, in the order of `identity.policies`. */
  readonly policies: readonly string[];
  /** Vault's namespace (`cluster.namespace`): a Kubernetes identity that names no namespaces is bound to it. */
  readonly vaultNamespace: string;
}

/**
 * An application or platform identity: its auth role, which binds a login (service account, AppRole or OIDC
 * claims) to its policies. Onboarding an application is this, driven by one config entry.
 */
export class ApplicationIdentity extends Construct {
  /** The auth role's name and method (`kubernetes/phoenix-guardian-app`). */
  public readonly login: string;

  constructor(scope: Construct, id: string, props: ApplicationIdentityProps) {
    super(scope, id);
    const { identity, authMounts, policies } = props;
    const auth = identity.auth;
    if (policies.length !== identity.policies.length || policies.length === 0) {
      throw new Error(`ApplicationIdentity ${identity.name}: expected a handle for each of its ${identity.policies.length} policies (got ${policies.length})`);
    }
    this.login = `${auth.method}/${auth.role}`;
    const common = { roleName: auth.role, tokenTtl: auth.tokenTtl, tokenMaxTtl: auth.tokenMaxTtl, policies, tokenNoDefaultPolicy: identity.tokenNoDefaultPolicy };
    switch (auth.method) {
      case "kubernetes":
        new KubernetesAuthRole(this, "kubernetes", {
          ...common,
          backend: authMounts.kubernetes,
          serviceAccounts: auth.serviceAccounts,
          namespaces: auth.namespaces ?? [props.vaultNamespace],
          audience: resolvedAudience(identity.name, auth.audience),
        });
        break;
      case "approle":
        new AppRoleAuthRole(this, "approle", {
          ...common,
          backend: authMounts.approle,
          secretIdTtl: auth.secretIdTtl,
          secretIdNumUses: auth.secretIdNumUses,
          tokenBoundCidrs: auth.tokenBoundCidrs,
          secretIdBoundCidrs: auth.secretIdBoundCidrs,
        });
        break;
      case "oidc": {
        const oidc = authMounts.oidc;
        if (!oidc) throw new Error(`ApplicationIdentity ${identity.name}: auth method oidc needs vault.auth.oidc`);
        new OidcAuthRole(this, "oidc", {
          ...common,
          backend: oidc.path,
          clientId: oidc.clientId,
          groups: auth.groups,
          groupsClaim: oidc.groupsClaim,
          userClaim: oidc.userClaim,
          scopes: oidc.scopes,
          redirectUris: oidc.redirectUris,
        });
        break;
      }
      case "jwt":
        new JwtAuthRole(this, "jwt", {
          ...common,
          backend: authMounts.jwt,
          boundAudiences: auth.boundAudiences,
          boundClaims: auth.boundClaims,
          boundClaimsType: auth.boundClaimsType,
          userClaim: auth.userClaim,
        });
        break;
    }
  }
}

/** Config resolves every Kubernetes role's audience (config/identity-paths.ts); a missing one is a wiring error. */
function resolvedAudience(name: string, audience: string | undefined): string {
  if (audience === undefined) throw new Error(`ApplicationIdentity ${name}: the Kubernetes audience was not resolved (load the config with validateEnvironment)`);
  return audience;
}
