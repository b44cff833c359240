import { kmsKeyPolicy } from "../../../../compliance/packs/aws/kms-key-policy";
import { awsStack, blockOf } from "./fixtures";

const keyPolicy = (j: any) => j.data.aws_iam_policy_document["key-policy"].statement;
const check = (view: ReturnType<typeof awsStack>) => kmsKeyPolicy.check(blockOf(view, "aws_kms_key.key"), view);

describe("AWS-KMS-002 kmsKeyPolicy", () => {
  it("is compliant when administrators only administer and users only use the key", () => {
    expect(check(awsStack())).toEqual({
      status: "compliant",
      evidence: 'aws_kms_key.key policy: no unconditioned Allow to "*"; administrators (arn:aws:iam::111111111111:role/platform-admin) hold no cryptographic actions',
    });
  });

  it("reads a separate aws_kms_key_policy and accepts a conditioned principal \"*\"", () => {
    const view = awsStack((j) => {
      keyPolicy(j).push({
        sid: "ViaS3",
        actions: ["kms:Decrypt"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "kms:CallerAccount", values: ["111111111111"] }],
      });
      j.resource.aws_kms_key_policy = { key: { key_id: "${aws_kms_key.key.id}", policy: j.resource.aws_kms_key.key.policy } };
      delete j.resource.aws_kms_key.key.policy;
    });
    expect(check(view)).toMatchObject({ status: "compliant", evidence: expect.stringContaining("aws_kms_key_policy.key policy:") });
  });

  it("is non-compliant with an unconditioned Allow to principal \"*\"", () => {
    const view = awsStack((j) => keyPolicy(j).push({ sid: "Everyone", actions: ["kms:Decrypt"], principals: [{ type: "*", identifiers: ["*"] }], resources: ["*"] }));
    expect(check(view)).toEqual({
      status: "non-compliant",
      found: 'aws_kms_key.key policy: statement Everyone allows kms:Decrypt to principal "*" without a condition',
    });
  });

  it("is non-compliant when an administrator may also decrypt (kms:* included)", () => {
    const view = awsStack((j) => (keyPolicy(j)[0].actions = ["kms:*"]));
    expect(check(view)).toMatchObject({
      status: "non-compliant",
      found: expect.stringContaining("statement KeyAdministration grants kms:Decrypt, kms:Encrypt, kms:GenerateDataKey"),
    });
  });

  it("is non-compliant without a key policy (the default grants kms:* to the account)", () => {
    const view = awsStack((j) => delete j.resource.aws_kms_key.key.policy);
    expect(check(view)).toEqual({
      status: "non-compliant",
      found: "aws_kms_key.key has no policy and no aws_kms_key_policy (the default policy grants kms:* to the account)",
    });
  });
});
