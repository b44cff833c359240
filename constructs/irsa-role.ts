/**
 * An IAM role for one Kubernetes service account (IRSA): trusted only by the cluster's OIDC provider, only for
 * `system:serviceaccount:<namespace>:<account>` with audience `sts.amazonaws.com`, with one least-privilege
 * inline policy. The service account names the stacks bind are in `constructs/service-accounts.ts`.
 */
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

export interface IrsaRoleProps {
  /** IAM role name (at most 64 characters). */
  readonly roleName: string;
  readonly description: string;
  /** ARN of the cluster's IAM OIDC identity provider. */
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`, the prefix of the `:sub` and `:aud` condition keys. */
  readonly oidcIssuer: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /**
   * Permissions of the role; more can be added with `addToPolicy`.
   * @default - none
   */
  readonly statements?: readonly DataAwsIamPolicyDocumentStatement[];
  /**
   * Longest session in seconds.
   * @default 3600
   */
  readonly maxSessionDuration?: number;
}

export class IrsaRole extends Construct {
  public readonly role: IamRole;
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly trustDocument: DataAwsIamPolicyDocument;
  /** Created with the first statement. */
  public policyDocument?: DataAwsIamPolicyDocument;
  private readonly statements: DataAwsIamPolicyDocumentStatement[] = [];

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new Error(`${this.node.path}: roleName must be 1 to 64 characters of letters, digits and +=,.@_- (got ${props.roleName})`);
    }
    this.trustDocument = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "ServiceAccountWebIdentity",
          effect: "Allow",
          principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
          actions: ["sts:AssumeRoleWithWebIdentity"],
          condition: [
            { test: "StringEquals", variable: `${props.oidcIssuer}:sub`, values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`] },
            { test: "StringEquals", variable: `${props.oidcIssuer}:aud`, values: ["sts.amazonaws.com"] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: this.trustDocument.json,
      maxSessionDuration: props.maxSessionDuration ?? 3600,
    });
    this.roleArn = this.role.arn;
    this.roleName = props.roleName;
    if (props.statements) this.addToPolicy(...props.statements);
  }

  /**
   * Adds permissions. Rejects `*` actions (or `service:*`) and `*` resources: every action this project grants
   * takes a resource, so a wildcard resource is always broader than needed.
   */
  public addToPolicy(...statements: DataAwsIamPolicyDocumentStatement[]): void {
    const problems = statements.flatMap((s) => checkStatement(s));
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join("; ")}`);
    this.statements.push(...statements);
    if (!this.policyDocument) {
      this.policyDocument = new DataAwsIamPolicyDocument(this, "permissions", { statement: this.statements });
      new IamRolePolicy(this, "policy", { name: "least-privilege", role: this.role.id, policy: this.policyDocument.json });
    } else {
      this.policyDocument.putStatement([...this.statements]);
    }
  }
}

function checkStatement(s: DataAwsIamPolicyDocumentStatement): string[] {
  const name = s.sid ?? "(no sid)";
  const problems: string[] = [];
  if (s.effect !== "Allow") problems.push(`statement ${name} must be an Allow (permissions only grant)`);
  if (!s.actions || s.actions.length === 0) problems.push(`statement ${name} must list actions`);
  if (s.notActions || s.notResources) problems.push(`statement ${name} must not use NotAction or NotResource`);
  for (const a of s.actions ?? []) if (a === "*" || a.endsWith(":*")) problems.push(`statement ${name} must not grant wildcard action ${a}`);
  if (!s.resources || s.resources.length === 0) problems.push(`statement ${name} must list resources`);
  for (const r of s.resources ?? []) if (r === "*") problems.push(`statement ${name} must not use resource * (name the bucket, prefix or key)`);
  return problems;
}
