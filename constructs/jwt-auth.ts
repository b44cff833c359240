import { Construct } from "constructs";
import { pinAddress } from "./stable-address";
import { JwtAuthBackend } from "@cdktf/provider-vault/lib/jwt-auth-backend";
import { JwtAuthBackendRole } from "@cdktf/provider-vault/lib/jwt-auth-backend-role";
import { durationSeconds } from "../config/format-rules";
import { authTune } from "./kubernetes-auth";

export interface JwtAuthProps {
  /** Mount path of the auth method. */
  readonly path: string;
  /** OIDC discovery URL of the token issuer (GitHub Actions: https://token.actions.githubusercontent.com). */
  readonly oidcDiscoveryUrl: string;
  /** The `iss` every token must carry. */
  readonly boundIssuer: string;
  /** Default and maximum lease TTL of the mount (Vault durations). */
  readonly ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string };
}

/** The JWT auth method, for machine identities with an OIDC token (the CI pipeline). */
export class JwtAuth extends Construct {
  /** The auth mount's path attribute. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: JwtAuthProps) {
    super(scope, id);
    const backend = new JwtAuthBackend(this, "backend", {
      type: "jwt",
      path: props.path,
      description: "OIDC token login (CI pipelines)",
      oidcDiscoveryUrl: props.oidcDiscoveryUrl,
      boundIssuer: props.boundIssuer,
      tune: [authTune(props.ttls)],
    });
    pinAddress(backend, id);
    this.path = backend.path;
  }
}

export interface JwtAuthRoleProps {
  /** The auth mount's path (a handle, so the role is created after the mount). */
  readonly backend: string;
  readonly roleName: string;
  /** The `aud` values accepted. */
  readonly boundAudiences: readonly string[];
  /** Claims the token must carry: one value, or a list of which one must match (e.g. repository and ref). */
  readonly boundClaims: Readonly<Record<string, string | readonly string[]>>;
  /**
   * How claim values match: exactly, or as globs (`*`).
   * @default "string"
   */
  readonly boundClaimsType?: "string" | "glob";
  /** Claim that names the Vault entity alias. */
  readonly userClaim: string;
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

/** A JWT role: a token is accepted only with the bound audience and exact values of the bound claims. */
export class JwtAuthRole extends Construct {
  constructor(scope: Construct, id: string, props: JwtAuthRoleProps) {
    super(scope, id);
    if (props.boundAudiences.length === 0) throw new Error(`JwtAuthRole ${props.roleName}: must bind at least one audience`);
    if (Object.keys(props.boundClaims).length === 0) throw new Error(`JwtAuthRole ${props.roleName}: must bind at least one claim`);
    new JwtAuthBackendRole(this, "role", {
      backend: props.backend,
      roleName: props.roleName,
      roleType: "jwt",
      boundAudiences: [...props.boundAudiences],
      // A list goes as comma-separated values, which terraform-provider-vault splits into Vault's list
      // (resource_jwt_auth_backend_role.go, unless disable_bound_claims_parsing).
      boundClaims: Object.fromEntries(Object.entries(props.boundClaims).map(([k, v]) => [k, typeof v === "string" ? v : v.join(",")])),
      // Exact match unless the config asks for globs: then `*` matches any run of characters.
      boundClaimsType: props.boundClaimsType ?? "string",
      userClaim: props.userClaim,
      tokenTtl: durationSeconds(props.tokenTtl),
      tokenMaxTtl: durationSeconds(props.tokenMaxTtl),
      tokenPolicies: [...props.policies],
      tokenNoDefaultPolicy: props.tokenNoDefaultPolicy ?? false,
    });
  }
}
