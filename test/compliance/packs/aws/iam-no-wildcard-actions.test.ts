import { iamNoWildcardActions } from "../../../../compliance/packs/aws/iam-no-wildcard-actions";
import { awsStack, blockOf } from "./fixtures";

const check = (view: ReturnType<typeof awsStack>) => iamNoWildcardActions.check(blockOf(view, "aws_iam_role_policy.writer"), view);
const permissions = (j: any) => j.data.aws_iam_policy_document["writer-permissions"].statement;

describe("AWS-IAM-001 iamNoWildcardActions", () => {
  it("is compliant when every action is named", () => {
    expect(check(awsStack())).toMatchObject({ status: "compliant", evidence: expect.stringContaining("allows only named actions: s3:PutObject, kms:GenerateDataKey, sts:GetCallerIdentity") });
  });

  it("is non-compliant with a whole-service action", () => {
    const view = awsStack((j) => (permissions(j)[0].actions = ["s3:*"]));
    expect(check(view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("statement PutSnapshots allows s3:*") });
  });

  it("is non-compliant with \"*\" and with NotAction in a literal JSON aws_iam_policy", () => {
    const view = awsStack((j) => {
      j.resource.aws_iam_policy = {
        broad: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }, { Sid: "AllBut", Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }) },
      };
    });
    expect(iamNoWildcardActions.check(blockOf(view, "aws_iam_policy.broad"), view)).toMatchObject({
      status: "non-compliant",
      found: expect.stringMatching(/statement #0 allows \*; statement AllBut allows NotAction iam:\*/),
    });
  });
});
