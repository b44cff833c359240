/**
 * What the rest of synth needs of `vault.aws` (config/schema/aws-engine.ts) without its zod types: the bounds and
 * patterns the compliance rules check again on the synthesized output, and the targets Vault's role may assume.
 */

/** The only credential type accepted: STS credentials of an assumed role, which expire by themselves. */
export const ASSUMED_ROLE = "assumed_role";

/**
 * STS bounds of an assumed-role session here. AssumeRole's DurationSeconds is at least 900 (15 minutes); and
 * Vault's own credentials are a role session (IRSA's AssumeRoleWithWebIdentity), so Vault's AssumeRole is role
 * chaining, which AWS caps at one hour (IAM user guide, "Role chaining"): a longer request fails.
 */
export const STS_MIN_SECONDS = 900;
export const STS_MAX_SECONDS = 3600;

/**
 * The backup stack's output listing the declared targets, the list rule AWS-IAM-004 holds Vault's AssumeRole grants
 * to (and a tenant's IaC may read).
 */
export const AWS_TARGETS_OUTPUT = "aws_secrets_target_role_arns";

/** A full IAM role ARN: partition, 12-digit account, `role/` and a path-qualified name; no wildcard anywhere. */
export const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** The part of `vault.aws` the helpers below read. */
type AwsRoles = { readonly roles: readonly { readonly roleArns: readonly string[]; readonly sessionTags: Readonly<Record<string, string>> }[] };

/** Every target role ARN of the engine, sorted and unique: exactly what Vault's IAM role may assume. */
export function awsTargetRoleArns(aws: AwsRoles | undefined): string[] {
  return [...new Set(aws?.roles.flatMap((r) => r.roleArns) ?? [])].sort();
}

/** Whether any role passes session tags (then Vault also needs sts:TagSession on the targets). */
export function awsUsesSessionTags(aws: AwsRoles | undefined): boolean {
  return aws?.roles.some((r) => Object.keys(r.sessionTags).length > 0) ?? false;
}
