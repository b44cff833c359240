import { Construct } from "constructs";
import { JwtAuthBackend } from "@cdktf/provider-vault/lib/jwt-auth-backend";
import { JwtAuthBackendRole } from "@cdktf/provider-vault/lib/jwt-auth-backend-role";
import { durationSeconds } from "../config/format-rules";
import { authTune } from "./kubernetes-auth";
import { pinAddress } from "./stable-address";

export interface OidcAuthProps {
  /** Mount path of the auth method. */
  readonly path: string;
  /** The identity provider's issuer URL (OIDC discovery). */
  readonly discoveryUrl: string;
  /** OAuth client id of Vault at the identity provider. */
  readonly clientId: string;
  /** The client secret: a reference to a sensitive variable, never a literal. */
  readonly clientSecret: string;
  /** Default and maximum lease TTL of the mount (Vault durations). */
  readonly ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string };
}

/**
 * The OIDC auth method: people log in with the organisation's identity provider (`vault login -method=oidc`).
 * No default role, so every login names the role of the group it claims.
 */
export class OidcAuth extends Construct {
  /** The auth mount's path attribute. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: OidcAuthProps) {
    super(scope, id);
    if (!props.clientSecret.startsWith("${")) {
      throw new Error("OidcAuth: clientSecret must be a reference to a sensitive variable, never a literal in the synthesized JSON");
    }
    const backend = new JwtAuthBackend(this, "backend", {
      type: "oidc",
      path: props.path,
      description: "People's login through the organisation's identity provider",
      oidcDiscoveryUrl: props.discoveryUrl,
      boundIssuer: props.discoveryUrl,
      oidcClientId: props.clientId,
      oidcClientSecret: props.clientSecret,
      tune: [authTune(props.ttls)],
      // The client secret is sent once, at creation (the bootstrap): provider 5.6.0 has no write-only form, so a value
      // given on every plan would sit in every saved plan (tfplan.go keeps variable values) that CI uploads. After
      // creation Terraform ignores it; rotating it is the runbook's `vault write auth/<path>/config` (docs/runbooks.md).
      lifecycle: { ignoreChanges: ["oidc_client_secret"] },
    });
    // A stateful auth mount: its Terraform address is pinned (not derived from the construct path).
    pinAddress(backend, id);
    this.path = backend.path;
  }
}

export interface OidcAuthRoleProps {
  /** The auth mount's path (a handle, so the role is created after the mount). */
  readonly backend: string;
  readonly roleName: string;
  /** OAuth client id: the ID token's audience. */
  readonly clientId: string;
  /** Groups whose members may log in with this role. */
  readonly groups: readonly string[];
  readonly groupsClaim: string;
  readonly userClaim: string;
  readonly scopes: readonly string[];
  readonly redirectUris: readonly string[];
  readonly tokenTtl: string;
  readonly tokenMaxTtl: string;
  /** Policy names (handles of the policy resources). */
  readonly policies: readonly string[];
}

/** An OIDC role: members of the named groups get the role's policies, nobody else. */
export class OidcAuthRole extends Construct {
  constructor(scope: Construct, id: string, props: OidcAuthRoleProps) {
    super(scope, id);
    const bad = props.groups.filter((g) => g === "" || g.includes(",") || g.includes("*"));
    if (props.groups.length === 0 || bad.length > 0) {
      throw new Error(`OidcAuthRole ${props.roleName}: must bind named groups, one per entry, no wildcards (got ${props.groups.join(", ") || "none"})`);
    }
    new JwtAuthBackendRole(this, "role", {
      backend: props.backend,
      roleName: props.roleName,
      roleType: "oidc",
      boundAudiences: [props.clientId],
      // Vault matches a list claim when any of its values equals one of these (comma-separated) values.
      boundClaims: { [props.groupsClaim]: props.groups.join(",") },
      boundClaimsType: "string",
      groupsClaim: props.groupsClaim,
      userClaim: props.userClaim,
      oidcScopes: [...props.scopes],
      allowedRedirectUris: [...props.redirectUris],
      tokenTtl: durationSeconds(props.tokenTtl),
      tokenMaxTtl: durationSeconds(props.tokenMaxTtl),
      tokenPolicies: [...props.policies],
    });
  }
}
