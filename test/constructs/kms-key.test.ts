import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KEY_ADMIN_ACTIONS, KEY_READ_ONLY_ACTIONS, ROOT_SAFETY_ACTIONS, ScopedKmsKey, type ScopedKmsKeyProps } from "../../constructs/kms-key";
import { evaluatePolicy, policyDocumentStatements } from "../../compliance/iam-policy-evaluator";
import { onlyResource, synthJson } from "../helpers";

const base: ScopedKmsKeyProps = {
  description: "test key",
  alias: "alias/test-key",
  accountId: "111111111111",
  partition: "aws",
  adminRoleArns: ["arn:aws:iam::111111111111:role/admin"],
};

function build(props: Partial<ScopedKmsKeyProps> = {}, after?: (key: ScopedKmsKey) => void): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-2" });
  const key = new ScopedKmsKey(stack, "key", { ...base, ...props });
  after?.(key);
  return synthJson(stack);
}

describe("ScopedKmsKey", () => {
  it("is a rotated symmetric key with a 30-day deletion window and an alias", () => {
    const json = build();
    expect(onlyResource(json, "aws_kms_key")).toMatchObject({
      description: "test key",
      key_usage: "ENCRYPT_DECRYPT",
      customer_master_key_spec: "SYMMETRIC_DEFAULT",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(onlyResource(json, "aws_kms_alias")).toEqual({ name: "alias/test-key", target_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.key_id\}$/) });
  });

  it("grants administrators management without crypto, and the root only policy recovery", () => {
    const json = build();
    const policy = policyDocumentStatements(json, onlyResource(json, "aws_kms_key").policy);
    expect(policy.map((s) => s.Sid)).toEqual(["RootKeyPolicyRecovery", "KeyAdministration"]);
    expect(policy[0]).toMatchObject({ Principal: { AWS: ["arn:aws:iam::111111111111:root"] }, Action: [...ROOT_SAFETY_ACTIONS] });
    expect(policy[1]).toMatchObject({ Principal: { AWS: base.adminRoleArns }, Action: [...KEY_ADMIN_ACTIONS] });
    const crypto = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant"];
    for (const action of crypto) {
      for (const id of [...base.adminRoleArns, "arn:aws:iam::111111111111:root"]) {
        expect(evaluatePolicy(policy, { action, resource: "*", principal: { type: "AWS", id } }).decision).toBe("implicit-deny");
      }
    }
  });

  it("lets read-only roles read the key as a refresh does, and nothing more", () => {
    const reader = "arn:aws:iam::111111111111:role/plan";
    const json = build({ readOnlyRoleArns: [reader] });
    const policy = policyDocumentStatements(json, onlyResource(json, "aws_kms_key").policy);
    expect(policy.find((s) => s.Sid === "KeyReadOnly")).toMatchObject({ Principal: { AWS: [reader] }, Action: [...KEY_READ_ONLY_ACTIONS] });
    const allowed = (action: string) => evaluatePolicy(policy, { action, resource: "*", principal: { type: "AWS", id: reader } }).decision === "allow";
    for (const a of KEY_READ_ONLY_ACTIONS) expect(allowed(a)).toBe(true);
    for (const a of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CreateGrant", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]) {
      expect(allowed(a)).toBe(false);
    }
  });

  it("fails if a read-only role is also an administrator or is *", () => {
    expect(() => build({ readOnlyRoleArns: base.adminRoleArns })).toThrow(/readOnlyRoleArns must not be key administrators \(got arn:aws:iam::111111111111:role\/admin\)/);
    expect(() => build({ readOnlyRoleArns: ["*"] })).toThrow(/readOnlyRoleArns must name roles, not \*/);
  });

  it("adds use statements with an optional kms:ViaService condition", () => {
    const json = build({}, (key) => {
      key.grantUse({ sid: "Direct", principalArns: ["arn:aws:iam::111111111111:role/a"], actions: ["kms:Decrypt"] });
      key.grantUse({ sid: "ViaS3", principalArns: ["arn:aws:iam::111111111111:role/b"], actions: ["kms:GenerateDataKey"], viaService: "s3.eu-west-2.amazonaws.com" });
    });
    const policy = policyDocumentStatements(json, onlyResource(json, "aws_kms_key").policy);
    expect(policy.slice(2)).toEqual([
      { Sid: "Direct", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111111111111:role/a"] }, Action: ["kms:Decrypt"], Resource: ["*"] },
      {
        Sid: "ViaS3",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111111111111:role/b"] },
        Action: ["kms:GenerateDataKey"],
        Resource: ["*"],
        Condition: { StringEquals: { "kms:ViaService": ["s3.eu-west-2.amazonaws.com"] } },
      },
    ]);
  });

  it("uses the given provider for every resource", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "eu-west-2" });
    const replica = new AwsProvider(stack, "aws-replica", { region: "eu-west-1", alias: "replica" });
    new ScopedKmsKey(stack, "key", { ...base, provider: replica });
    const json = synthJson(stack);
    expect(onlyResource(json, "aws_kms_key").provider).toBe("aws.replica");
    expect(onlyResource(json, "aws_kms_alias").provider).toBe("aws.replica");
  });

  it("fails if the alias, admins or deletion window are invalid", () => {
    expect(() => build({ alias: "alias/aws/s3" })).toThrow(/alias must be alias\/<name>.*got alias\/aws\/s3/);
    expect(() => build({ alias: "test-key" })).toThrow(/alias must be alias\/<name>/);
    expect(() => build({ adminRoleArns: [] })).toThrow(/adminRoleArns must name at least one key administrator role/);
    expect(() => build({ deletionWindowDays: 3 })).toThrow(/deletionWindowDays must be an integer from 7 to 30 \(got 3\)/);
  });

  it("fails if a use grants a non-crypto action, names *, or repeats a sid", () => {
    const use = { sid: "U", principalArns: ["arn:aws:iam::111111111111:role/a"], actions: ["kms:Decrypt"] };
    expect(() => build({}, (k) => k.grantUse({ ...use, actions: ["kms:*"] }))).toThrow(/key use U may only grant .*got kms:\*/);
    expect(() => build({}, (k) => k.grantUse({ ...use, actions: ["kms:PutKeyPolicy"] }))).toThrow(/may only grant/);
    expect(() => build({}, (k) => k.grantUse({ ...use, principalArns: ["*"] }))).toThrow(/must name role ARNs, not \*/);
    expect(() => build({}, (k) => { k.grantUse(use); k.grantUse(use); })).toThrow(/key use U is granted twice/);
  });
});
