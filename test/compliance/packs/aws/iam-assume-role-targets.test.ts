import { iamAssumeRoleTargets } from "../../../../compliance/packs/aws/iam-assume-role-targets";
import { AWS_TARGETS_OUTPUT } from "../../../../config/aws-engine-rules";
import { awsStack, blockOf } from "./fixtures";

const TARGET = "arn:aws:iam::111111111111:role/app-s3";
const POLICY = "aws_iam_role_policy.writer";

/** The fixture with the writer's role granted AssumeRole on `resources` and `declared` as the stack's targets output. */
function view(resources: string[], declared: string[] = [TARGET], actions = ["sts:AssumeRole", "sts:TagSession"]) {
  return awsStack((j) => {
    j.data.aws_iam_policy_document["writer-permissions"].statement.push({ sid: "AwsSecretsAssumeTargets", actions, resources });
    j.output = { [AWS_TARGETS_OUTPUT]: { value: declared } };
  });
}
const check = (v: ReturnType<typeof awsStack>) => iamAssumeRoleTargets.check(blockOf(v, POLICY), v);

describe("AWS-IAM-004 iamAssumeRoleTargets", () => {
  it("is compliant when AssumeRole names exactly the declared targets", () => {
    expect(check(view([TARGET]))).toMatchObject({ status: "compliant", evidence: expect.stringContaining(`grants sts:AssumeRole on the declared targets ${TARGET}`) });
  });

  it("is compliant for a policy that grants no AssumeRole at all", () => {
    expect(check(awsStack())).toMatchObject({ status: "compliant", evidence: expect.stringContaining("grants sts:AssumeRole on nothing") });
  });

  it("is non-compliant with a wildcard target", () => {
    expect(check(view(["arn:aws:iam::111111111111:role/*"]))).toMatchObject({
      status: "non-compliant",
      found: expect.stringContaining("statement AwsSecretsAssumeTargets allows sts:AssumeRole on arn:aws:iam::111111111111:role/* (not one full role ARN)"),
    });
  });

  it("is non-compliant with a target the stack does not declare", () => {
    const extra = "arn:aws:iam::111111111111:role/platform-admin";
    expect(check(view([TARGET, extra]))).toMatchObject({
      status: "non-compliant",
      found: expect.stringContaining(`allows sts:AssumeRole on ${extra}, which ${AWS_TARGETS_OUTPUT} does not declare`),
    });
  });

  it("is non-compliant when AssumeRole hides in sts:* or is granted without any declaration", () => {
    expect(check(view([TARGET], [], ["sts:Assume*"]))).toMatchObject({ status: "non-compliant", found: expect.stringContaining("which aws_secrets_target_role_arns does not declare") });
  });
});
