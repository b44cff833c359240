/**
 * The AWS secrets engine without static keys: the mount and its root configuration (`vault_aws_secret_backend`,
 * terraform-provider-vault v5.6.0 vault/resource_aws_secret_backend.go) with no `access_key` and no `secret_key`,
 * and one `vault_aws_secret_backend_role` per configured role (vault/resource_aws_secret_backend_role.go), all of
 * `credential_type = assumed_role`.
 *
 * Where Vault's AWS credentials come from: the provider writes `<path>/config/root` with empty keys; Vault's engine
 * (hashicorp/vault builtin/logical/aws/client.go `getRootConfig`) then builds go-secure-stdlib awsutil's default
 * credential chain, which reads the web identity token EKS mounts for the pod's service account (AWS_ROLE_ARN,
 * AWS_WEB_IDENTITY_TOKEN_FILE): the Vault server's IRSA role. `role_arn`/`identity_token_audience` (plugin
 * workload identity federation) are left unset: the provider sends them only to Vault Enterprise 1.16+.
 */
import { Construct } from "constructs";
import { AwsSecretBackend } from "@cdktf/provider-vault/lib/aws-secret-backend";
import { AwsSecretBackendRole } from "@cdktf/provider-vault/lib/aws-secret-backend-role";
import { durationSeconds } from "../config/format-rules";
import { pinAddress } from "./stable-address";

/** One Vault role: STS credentials of the target roles, read at `<path>/creds/<name>`. */
export interface AwsSecretRoleProps {
  readonly name: string;
  /** Only `assumed_role` is accepted (the config schema and rule VCF-AWS-001 refuse every other type). */
  readonly credentialType: string;
  /** Full IAM role ARNs Vault may assume for this role. */
  readonly roleArns: readonly string[];
  /** Vault durations, 15m to 1h. */
  readonly defaultStsTtl: string;
  readonly maxStsTtl: string;
  /**
   * Session tags passed on every AssumeRole.
   * @default - none
   */
  readonly sessionTags?: Readonly<Record<string, string>>;
}

export interface AwsSecretsEngineProps {
  /** Mount path of the engine. */
  readonly path: string;
  /** Region of Vault's STS calls. */
  readonly region: string;
  readonly roles: readonly AwsSecretRoleProps[];
  /** Default and maximum lease TTL of the mount (Vault durations). */
  readonly ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string };
}

export class AwsSecretsEngine extends Construct {
  /** The mount's path attribute (a reference), for the roles and for anything that must follow the mount. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: AwsSecretsEngineProps) {
    super(scope, id);
    const mount = new AwsSecretBackend(this, "mount", {
      path: props.path,
      description: "STS credentials of assumed IAM roles; Vault's own identity is its IRSA role (no static keys)",
      region: props.region,
      defaultLeaseTtlSeconds: durationSeconds(props.ttls.defaultLeaseTtl),
      maxLeaseTtlSeconds: durationSeconds(props.ttls.maxLeaseTtl),
    });
    pinAddress(mount, id);
    this.path = mount.path;
    for (const r of props.roles) {
      if (r.credentialType !== "assumed_role") {
        throw new Error(`AwsSecretsEngine: role ${r.name}: credentialType must be assumed_role (got ${r.credentialType})`);
      }
      new AwsSecretBackendRole(this, `role-${r.name}`, {
        backend: mount.path,
        name: r.name,
        credentialType: r.credentialType,
        roleArns: [...r.roleArns],
        defaultStsTtl: durationSeconds(r.defaultStsTtl),
        maxStsTtl: durationSeconds(r.maxStsTtl),
        ...(r.sessionTags && Object.keys(r.sessionTags).length > 0 ? { sessionTags: { ...r.sessionTags } } : {}),
      });
    }
  }
}
