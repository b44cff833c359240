import { evaluatePolicy, type PolicyRequest, type PolicyStatement } from "../../iam-policy-evaluator";
import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { blocksOf, firstBlock, type ResourceView, type StackView } from "../../../synthesized/stack-view";
import { readPolicy } from "./policy-documents";
import { bucketArn, configsOf, logSourcesOf } from "./shapes";

// Any caller of any account: the denies must not depend on who asks.
const CALLER = { type: "AWS", id: "arn:aws:iam::999999999999:role/compliance-probe" } as const;
const SECURE = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" } as const;

/** The algorithm the bucket encrypts with by default, which uploads are expected to ask for. */
function expectedAlgorithm(bucket: ResourceView, stack: StackView): string {
  for (const c of configsOf("aws_s3_bucket_server_side_encryption_configuration", bucket, stack)) {
    for (const rule of blocksOf(c.attributes.rule)) {
      const algorithm = firstBlock(rule.apply_server_side_encryption_by_default)?.sse_algorithm;
      if (typeof algorithm === "string") return algorithm;
    }
  }
  return "aws:kms";
}

/** Problems with `statements` as the policy of `bucket`: missing denies, each as a concrete request it lets through. */
function gaps(statements: PolicyStatement[], bucket: ResourceView, stack: StackView): string[] {
  const arn = bucketArn(bucket);
  const problems: string[] = [];
  const denied = (request: PolicyRequest) => evaluatePolicy(statements, { principal: CALLER, ...request }).decision === "explicit-deny";
  const insecure = { "aws:SecureTransport": "false" };
  if (!denied({ action: "s3:ListBucket", resource: arn, context: insecure })) {
    problems.push(`s3:ListBucket on ${arn} with aws:SecureTransport = false is not denied`);
  }
  if (!denied({ action: "s3:GetObject", resource: `${arn}/any-object`, context: insecure })) {
    problems.push(`s3:GetObject on ${arn}/* with aws:SecureTransport = false is not denied`);
  }
  if (logSourcesOf(bucket, stack).length > 0) return problems; // log delivery sets no SSE header; TLS-only is enough
  const algorithm = expectedAlgorithm(bucket, stack);
  if (!denied({ action: "s3:PutObject", resource: `${arn}/any-object`, context: SECURE })) {
    problems.push(`s3:PutObject on ${arn}/* without s3:x-amz-server-side-encryption is not denied`);
  }
  if (algorithm.startsWith("aws:kms")) {
    const weaker = { ...SECURE, "s3:x-amz-server-side-encryption": "AES256" };
    if (!denied({ action: "s3:PutObject", resource: `${arn}/any-object`, context: weaker })) {
      problems.push(`s3:PutObject on ${arn}/* with s3:x-amz-server-side-encryption = AES256 is not denied (bucket uses ${algorithm})`);
    }
  }
  return problems;
}

export const s3BucketPolicy: ComplianceRule = {
  id: "AWS-S3-007",
  title: "S3 bucket policies deny requests without TLS, and uploads without the bucket's server-side encryption",
  severity: "high",
  rationale:
    "AWS S3 security best practices: enforce encryption of data in transit (deny aws:SecureTransport = false on the bucket and its " +
    "objects; AWS Security Hub S3.5) and require server-side encryption on upload (deny s3:PutObject whose " +
    "s3:x-amz-server-side-encryption header is missing or names another algorithm). Access-log buckets receive objects from S3 log " +
    "delivery without that header and need the TLS-only deny.",
  fix:
    "Attach an aws_s3_bucket_policy with a Deny of s3:* on the bucket and bucket/* when aws:SecureTransport is false, and (data buckets) " +
    "a Deny of s3:PutObject on bucket/* when s3:x-amz-server-side-encryption is not the bucket's algorithm (StringNotEquals, which also " +
    "matches a missing header).",
  appliesTo: ["aws_s3_bucket"],
  check(bucket, stack) {
    const policies = configsOf("aws_s3_bucket_policy", bucket, stack);
    if (policies.length === 0) return nonCompliant(`no aws_s3_bucket_policy references ${bucket.address}`);
    const arn = bucketArn(bucket);
    const known = {
      [`\${${bucket.address}.arn}`]: arn,
      [`\${${bucket.address}.id}`]: arn.slice("arn:aws:s3:::".length),
      [`\${${bucket.address}.bucket}`]: arn.slice("arn:aws:s3:::".length),
    };
    const found: string[] = [];
    for (const p of policies) {
      const read = readPolicy(p.attributes.policy, stack, known);
      if (!read.ok) {
        found.push(`${p.address} policy could not be evaluated: ${read.error}`);
        continue;
      }
      let problems: string[];
      try {
        problems = gaps(read.statements, bucket, stack);
      } catch (e) {
        found.push(`${p.address} policy could not be evaluated: ${(e as Error).message}`);
        continue;
      }
      if (problems.length === 0) {
        const sse = logSourcesOf(bucket, stack).length > 0 ? "" : `, uploads without ${expectedAlgorithm(bucket, stack)} denied`;
        return compliant(`${p.address} policy ${String(p.attributes.policy)}: requests with aws:SecureTransport = false denied on ${arn} and ${arn}/*${sse}`);
      }
      found.push(`${p.address}: ${problems.join("; ")}`);
    }
    return nonCompliant(found.join("; "));
  },
};
