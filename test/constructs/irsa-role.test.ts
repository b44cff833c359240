import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IrsaRole, type IrsaRoleProps } from "../../constructs/irsa-role";
import { policyDocumentStatements } from "../../compliance/iam-policy-evaluator";
import { onlyResource, resourcesOf, synthJson } from "../helpers";

const base: IrsaRoleProps = {
  roleName: "vault-dev-test",
  description: "test role",
  oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-2.amazonaws.com/id/X",
  oidcIssuer: "oidc.eks.eu-west-2.amazonaws.com/id/X",
  namespace: "vault",
  serviceAccount: "sa",
};
const get = { sid: "Get", effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/p/*"] };

function build(props: Partial<IrsaRoleProps> = {}, after?: (r: IrsaRole) => void): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-2" });
  const role = new IrsaRole(stack, "role", { ...base, ...props });
  after?.(role);
  return synthJson(stack);
}

describe("IrsaRole", () => {
  it("trusts the OIDC provider for one service account and audience sts.amazonaws.com", () => {
    const json = build();
    const role = onlyResource(json, "aws_iam_role");
    expect(role).toMatchObject({ name: "vault-dev-test", description: "test role", max_session_duration: 3600 });
    expect(policyDocumentStatements(json, role.assume_role_policy)).toEqual([
      {
        Sid: "ServiceAccountWebIdentity",
        Effect: "Allow",
        Principal: { Federated: [base.oidcProviderArn] },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            "oidc.eks.eu-west-2.amazonaws.com/id/X:sub": ["system:serviceaccount:vault:sa"],
            "oidc.eks.eu-west-2.amazonaws.com/id/X:aud": ["sts.amazonaws.com"],
          },
        },
      },
    ]);
  });

  it("has no inline policy until statements are added, then one with every statement", () => {
    expect(resourcesOf(build(), "aws_iam_role_policy")).toEqual({});
    const json = build({ statements: [get] }, (r) =>
      r.addToPolicy({ sid: "List", effect: "Allow", actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::b"] }),
    );
    const policy = onlyResource(json, "aws_iam_role_policy");
    expect(policy.role).toMatch(/^\$\{aws_iam_role\..+\.id\}$/);
    expect(policyDocumentStatements(json, policy.policy).map((s) => s.Sid)).toEqual(["Get", "List"]);
  });

  it("fails if a statement grants a wildcard action or resource", () => {
    expect(() => build({ statements: [{ ...get, actions: ["*"] }] })).toThrow(/statement Get must not grant wildcard action \*/);
    expect(() => build({ statements: [{ ...get, actions: ["s3:*"] }] })).toThrow(/must not grant wildcard action s3:\*/);
    expect(() => build({ statements: [{ ...get, resources: ["*"] }] })).toThrow(/statement Get must not use resource \*/);
    expect(() => build({ statements: [{ ...get, resources: [] }] })).toThrow(/statement Get must list resources/);
    expect(() => build({ statements: [{ ...get, effect: "Deny" }] })).toThrow(/statement Get must be an Allow/);
    expect(() => build({ statements: [{ ...get, notActions: ["s3:DeleteObject"] }] })).toThrow(/must not use NotAction or NotResource/);
  });

  it("fails if the role name is not a valid IAM role name", () => {
    expect(() => build({ roleName: "x".repeat(65) })).toThrow(/roleName must be 1 to 64 characters/);
    expect(() => build({ roleName: "bad name" })).toThrow(/roleName must be 1 to 64 characters.*got bad name/);
  });
});
