import { iamIrsaTrust } from "../../../../compliance/packs/aws/iam-irsa-trust";
import { awsStack, blockOf } from "./fixtures";

const check = (view: ReturnType<typeof awsStack>, role = "aws_iam_role.writer") => iamIrsaTrust.check(blockOf(view, role), view);
const conditions = (j: any) => j.data.aws_iam_policy_document["writer-trust"].statement[0].condition;

describe("AWS-IAM-003 iamIrsaTrust", () => {
  it("is compliant with StringEquals on the issuer's sub (one service account) and aud", () => {
    expect(check(awsStack())).toEqual({
      status: "compliant",
      evidence: "aws_iam_role.writer assume_role_policy StringEquals :sub = system:serviceaccount:vault:vault-raft-snapshot, :aud = sts.amazonaws.com",
    });
  });

  it("does not apply to a role trusted by an AWS service", () => {
    expect(check(awsStack(), "aws_iam_role.replication")).toEqual({ status: "not-applicable" });
  });

  it("is non-compliant with a wildcard service account (and StringLike is not StringEquals)", () => {
    const view = awsStack((j) => (conditions(j)[0] = { test: "StringLike", variable: "oidc.eks.example/id/ABC:sub", values: ["system:serviceaccount:vault:*"] }));
    expect(check(view)).toEqual({
      status: "non-compliant",
      found: "aws_iam_role.writer assume_role_policy: statement #0 has no StringEquals on oidc.eks.example/id/ABC:sub",
    });
    const wild = awsStack((j) => (conditions(j)[0].values = ["system:serviceaccount:vault:*"]));
    expect(check(wild)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("StringEquals oidc.eks.example/id/ABC:sub = system:serviceaccount:vault:*") });
  });

  it("is non-compliant without the audience condition or with another audience", () => {
    const missing = awsStack((j) => conditions(j).pop());
    expect(check(missing)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("has no StringEquals on oidc.eks.example/id/ABC:aud") });
    const other = awsStack((j) => (conditions(j)[1].values = ["vault"]));
    expect(check(other)).toMatchObject({ status: "non-compliant", found: expect.stringContaining(":aud = vault (sts.amazonaws.com required)") });
  });

  it("checks the condition keys of this issuer, not another provider's", () => {
    const view = awsStack((j) => (conditions(j)[0].variable = "oidc.eks.other/id/XYZ:sub"));
    expect(check(view)).toMatchObject({ status: "non-compliant", found: expect.stringContaining("has no StringEquals on oidc.eks.example/id/ABC:sub") });
  });
});
