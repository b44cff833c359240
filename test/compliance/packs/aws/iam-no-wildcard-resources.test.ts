import { iamNoWildcardResources } from "../../../../compliance/packs/aws/iam-no-wildcard-resources";
import { awsStack, blockOf } from "./fixtures";

const check = (view: ReturnType<typeof awsStack>) => iamNoWildcardResources.check(blockOf(view, "aws_iam_role_policy.writer"), view);
const permissions = (j: any) => j.data.aws_iam_policy_document["writer-permissions"].statement;

describe("AWS-IAM-002 iamNoWildcardResources", () => {
  it("is compliant with scoped resources, and Resource \"*\" only for sts:GetCallerIdentity", () => {
    expect(check(awsStack())).toMatchObject({ status: "compliant", evidence: expect.stringContaining("resources: arn:aws:s3:::snaps/raft/*, tf-ref:aws_kms_key.key.arn, *") });
  });

  it("is non-compliant with Resource \"*\" on an action that supports resource-level permissions", () => {
    const view = awsStack((j) => (permissions(j)[1].resources = ["*"]));
    expect(check(view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining('statement EncryptSnapshots allows kms:GenerateDataKey on Resource "*"') });
  });

  it("is non-compliant with NotResource", () => {
    const view = awsStack((j) => {
      delete permissions(j)[0].resources;
      permissions(j)[0].not_resources = ["arn:aws:s3:::other/*"];
    });
    expect(check(view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("statement PutSnapshots uses NotResource arn:aws:s3:::other/*") });
  });

  it("is non-compliant when the policy cannot be read", () => {
    const view = awsStack((j) => (j.resource.aws_iam_role_policy.writer.policy = "${data.aws_iam_policy_document.missing.json}"));
    expect(check(view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("could not be read") });
  });
});
