/**
 * Both IAM sides of the AWS secrets engine (`vault.aws`, constructs/aws-secrets-engine.ts):
 * - Vault's side: the statement added to the Vault server's IRSA role, `sts:AssumeRole` (and `sts:TagSession` when a
 *   role passes session tags: AWS requires it for AssumeRole with Tags) on exactly the declared target role ARNs;
 * - the target's side: the trust statement each target role must carry, admitting Vault's role and nothing else.
 *   The target roles belong to the tenants (their permissions are theirs to scope), so this project does not create
 *   them: the statement is printed in the tenant's guide (scripts/tenant-guides.ts), and the target ARNs are a
 *   backup-stack output for the tenant's own IaC.
 */
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { awsTargetRoleArns, awsUsesSessionTags } from "../config/aws-engine-rules";
import type { AwsEngineConfig } from "../config/schema/aws-engine";

/** A trust statement in IAM JSON form. */
export interface TrustStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: { readonly AWS: string };
  readonly Action: readonly string[];
}

/** Sid of the AssumeRole statement on Vault's role (compliance rule AWS-IAM-004 reads statements by action). */
export const ASSUME_TARGETS_SID = "AwsSecretsAssumeTargets";

/** The actions Vault needs on a target: AssumeRole, and TagSession when it passes session tags. */
export function assumeActions(aws: Pick<AwsEngineConfig, "roles">): string[] {
  return awsUsesSessionTags(aws) ? ["sts:AssumeRole", "sts:TagSession"] : ["sts:AssumeRole"];
}

/** Vault's identity-policy statement: the actions on the declared target ARNs, listed one by one. */
export function assumeTargetsStatement(aws: Pick<AwsEngineConfig, "roles">): DataAwsIamPolicyDocumentStatement {
  const targets = awsTargetRoleArns(aws);
  if (targets.length === 0) throw new Error("assumeTargetsStatement: vault.aws declares no target role ARN");
  return { sid: ASSUME_TARGETS_SID, effect: "Allow", actions: assumeActions(aws), resources: targets };
}

/**
 * The trust statement a target role must hold for Vault to assume it: principal Vault's IRSA role (exactly that ARN,
 * so a role of the same name recreated later, which has a new unique id, is not trusted until the tenant saves the
 * policy again, as AWS documents for role principals), the actions Vault uses. The tenant's trust policy must have
 * no other statement admitting anyone else.
 */
export function targetTrustStatement(vaultRoleArn: string, aws: Pick<AwsEngineConfig, "roles">, environment: string): TrustStatement {
  const sid = `VaultPlatform${environment.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}`;
  return { Sid: sid, Effect: "Allow", Principal: { AWS: vaultRoleArn }, Action: assumeActions(aws) };
}
