import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import {
  awsPartition,
  bucketArn,
  encryptionStatements,
  logDeliveryStatements,
  objectsArn,
  secureTransportStatements,
} from "../../constructs/bucket-policy-statements";
import { evaluatePolicy, policyDocumentStatements, type PolicyStatement } from "../../compliance/iam-policy-evaluator";
import { synthJson } from "../helpers";

/** Renders statements through a real aws_iam_policy_document and reads them back from the synthesized JSON. */
function rendered(statements: ReturnType<typeof secureTransportStatements>): PolicyStatement[] {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-2" });
  new DataAwsIamPolicyDocument(stack, "doc", { statement: statements });
  const json = synthJson(stack);
  return policyDocumentStatements(json, `\${data.aws_iam_policy_document.doc.json}`);
}

describe("bucket policy statements", () => {
  const arn = bucketArn("aws", "b");

  it("builds ARNs for the partition of the region", () => {
    expect(awsPartition("eu-west-2")).toBe("aws");
    expect(awsPartition("us-gov-west-1")).toBe("aws-us-gov");
    expect(bucketArn("aws-us-gov", "b")).toBe("arn:aws-us-gov:s3:::b");
    expect(objectsArn("aws", "b", "raft")).toBe("arn:aws:s3:::b/raft/*");
    expect(objectsArn("aws", "b")).toBe("arn:aws:s3:::b/*");
  });

  it("denies plain HTTP and TLS below 1.2 on the bucket and its objects, with conditions", () => {
    const p = rendered(secureTransportStatements(arn));
    expect(p).toEqual([
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": ["false"] } } },
      { Sid: "DenyOutdatedTls", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: [arn, `${arn}/*`], Condition: { NumericLessThan: { "s3:TlsVersion": ["1.2"] } } },
    ]);
    const req = (secure: string, tls: string) => ({ action: "s3:GetObject", resource: `${arn}/k`, context: { "aws:SecureTransport": secure, "s3:TlsVersion": tls } });
    expect(evaluatePolicy(p, req("true", "1.3")).decision).toBe("implicit-deny");
    expect(evaluatePolicy(p, req("false", "1.3")).deniedBy).toEqual(["DenyInsecureTransport"]);
    expect(evaluatePolicy(p, req("true", "1.0")).deniedBy).toEqual(["DenyOutdatedTls"]);
  });

  it("requires aws:kms and the exact key ARN, or AES256", () => {
    const kms = rendered(encryptionStatements(arn, { type: "kms", kmsKeyArn: "arn:aws:kms:eu-west-2:1:key/k" }));
    const put = (context: Record<string, string>) => evaluatePolicy(kms, { action: "s3:PutObject", resource: `${arn}/k`, context }).deniedBy;
    expect(put({ "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:eu-west-2:1:key/k" })).toEqual([]);
    expect(put({ "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": "alias/aws/s3" })).toEqual(["DenyWrongKmsKey"]);
    expect(put({ "s3:x-amz-server-side-encryption": "AES256" })).toEqual(["DenyUnencryptedObjectUploads", "DenyWrongKmsKey"]);
    const aes = rendered(encryptionStatements(arn, { type: "aes256" }));
    expect(aes.map((s) => s.Sid)).toEqual(["DenyUnencryptedObjectUploads"]);
    expect(aes[0].Condition).toEqual({ StringNotEquals: { "s3:x-amz-server-side-encryption": ["AES256"] } });
  });

  it("lets log delivery write under the prefix for one source bucket and account", () => {
    const p = rendered(logDeliveryStatements({ logBucketArn: "arn:aws:s3:::logs", sourceBucketArn: arn, accountId: "111111111111", prefix: "s3-access/b/" }));
    const deliver = (resource: string) =>
      evaluatePolicy(p, {
        action: "s3:PutObject",
        resource,
        principal: { type: "Service", id: "logging.s3.amazonaws.com" },
        context: { "aws:SourceArn": arn, "aws:SourceAccount": "111111111111" },
      }).decision;
    expect(deliver("arn:aws:s3:::logs/s3-access/b/2026-01-01")).toBe("allow");
    expect(deliver("arn:aws:s3:::logs/other/2026-01-01")).toBe("implicit-deny");
  });
});
