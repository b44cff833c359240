/**
 * A symmetric KMS key whose policy separates the people who manage it from the roles that use it: key
 * administrators manage but never encrypt or decrypt, each using role gets only the operations it needs.
 */
import { Construct } from "constructs";
import { pinAddress } from "./stable-address";
import type { TerraformProvider } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/**
 * What key administrators may do. Explicit, no wildcards: `kms:Create*` would include `kms:CreateGrant`, with
 * which an administrator could grant themselves Decrypt. No Encrypt, Decrypt, ReEncrypt or GenerateDataKey.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/**
 * What the account root may do: only read and replace the key policy. Without this, deleting the admin roles
 * would leave a key nobody can manage (recoverable only through AWS Support); with it, an IAM principal that its
 * own IAM policy allows `kms:PutKeyPolicy` can repair the key policy, and that call is in CloudTrail. It grants
 * no cryptographic use: the root principal here delegates to IAM only for these three actions.
 */
export const ROOT_SAFETY_ACTIONS: readonly string[] = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy"];

/**
 * What read-only principals may do: exactly what the AWS provider's `aws_kms_key` read calls on a refresh
 * (DescribeKey, GetKeyPolicy, GetKeyRotationStatus, ListResourceTags), so a plan can refresh the key. No
 * administration, no cryptographic use, no grants.
 */
export const KEY_READ_ONLY_ACTIONS: readonly string[] = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"];

/** Cryptographic operations a using role may be granted. */
const USE_ACTIONS = new Set(["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"]);

/** One grant of key use to some roles. */
export interface KeyUse {
  /** Statement id in the key policy, e.g. `VaultServerUnseal`. */
  readonly sid: string;
  /** Role ARNs that use the key (Terraform references are fine). */
  readonly principalArns: readonly string[];
  /** Operations, from Encrypt, Decrypt, DescribeKey, GenerateDataKey, ReEncryptFrom, ReEncryptTo. */
  readonly actions: readonly string[];
  /**
   * Only when the call comes through this AWS service endpoint (`kms:ViaService`), e.g. `s3.eu-west-2.amazonaws.com`.
   * @default - direct calls allowed (the Vault server calls KMS itself to unseal)
   */
  readonly viaService?: string;
}

export interface ScopedKmsKeyProps {
  /** Human description of what the key protects. */
  readonly description: string;
  /** Alias, `alias/<name>`. */
  readonly alias: string;
  /** The AWS account that owns the key (for the root principal). */
  readonly accountId: string;
  /** `aws` or `aws-us-gov`. */
  readonly partition: string;
  /** Roles that administer the key (and never use it). Terraform must run as one of them. */
  readonly adminRoleArns: readonly string[];
  /**
   * Roles that may read the key's metadata, policy, rotation status and tags (the workflows' plan and apply roles,
   * whose refresh reads every key) and nothing else. Must not be administrators.
   * @default - none
   */
  readonly readOnlyRoleArns?: readonly string[];
  /**
   * Initial key uses; more can be added with `grantUse`.
   * @default - none
   */
  readonly uses?: readonly KeyUse[];
  /**
   * Days between scheduling deletion and deletion, 7 to 30.
   * @default 30
   */
  readonly deletionWindowDays?: number;
  /**
   * Provider for another region (the replica key).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

export class ScopedKmsKey extends Construct {
  public readonly key: KmsKey;
  public readonly keyArn: string;
  public readonly keyId: string;
  public readonly aliasName: string;
  /** The key policy document (its `statement` blocks are in the synthesized JSON). */
  public readonly policyDocument: DataAwsIamPolicyDocument;
  private readonly uses: KeyUse[] = [];
  private readonly baseStatements: DataAwsIamPolicyDocumentStatement[];

  constructor(scope: Construct, id: string, props: ScopedKmsKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    const problems: string[] = [];
    if (!/^alias\/[A-Za-z0-9/_-]+$/.test(props.alias) || props.alias.startsWith("alias/aws/")) {
      problems.push(`alias must be alias/<name> of letters, digits, /, _ and - and not under alias/aws/ (got ${props.alias})`);
    }
    if (props.adminRoleArns.length === 0) problems.push("adminRoleArns must name at least one key administrator role");
    if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < 7 || deletionWindowDays > 30) {
      problems.push(`deletionWindowDays must be an integer from 7 to 30 (got ${deletionWindowDays})`);
    }
    const readers = props.readOnlyRoleArns ?? [];
    const adminReaders = readers.filter((r) => props.adminRoleArns.includes(r));
    if (adminReaders.length > 0) problems.push(`readOnlyRoleArns must not be key administrators (got ${adminReaders.join(", ")})`);
    if (readers.includes("*")) problems.push("readOnlyRoleArns must name roles, not *");
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join("; ")}`);

    this.baseStatements = [
      {
        sid: "RootKeyPolicyRecovery",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${props.partition}:iam::${props.accountId}:root`] }],
        actions: [...ROOT_SAFETY_ACTIONS],
        resources: ["*"],
      },
      {
        sid: "KeyAdministration",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [...props.adminRoleArns] }],
        actions: [...KEY_ADMIN_ACTIONS],
        // In a key policy `*` means "this key"; it is the only resource a key policy accepts.
        resources: ["*"],
      },
      ...(readers.length > 0
        ? [
            {
              sid: "KeyReadOnly",
              effect: "Allow",
              principals: [{ type: "AWS", identifiers: [...readers] }],
              actions: [...KEY_READ_ONLY_ACTIONS],
              resources: ["*"],
            },
          ]
        : []),
    ];
    this.policyDocument = new DataAwsIamPolicyDocument(this, "policy", {
      provider: props.provider,
      statement: this.baseStatements,
    });
    this.key = new KmsKey(this, "key", {
      provider: props.provider,
      description: props.description,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: this.policyDocument.json,
    });
    pinAddress(this.key, id);
    new KmsAlias(this, "alias", { provider: props.provider, name: props.alias, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
    this.aliasName = props.alias;
    for (const use of props.uses ?? []) this.grantUse(use);
  }

  /** Adds a key-use statement to the key policy. */
  public grantUse(use: KeyUse): void {
    const bad = use.actions.filter((a) => !USE_ACTIONS.has(a));
    if (bad.length > 0 || use.actions.length === 0) {
      throw new Error(`${this.node.path}: key use ${use.sid} may only grant ${[...USE_ACTIONS].join(", ")} (got ${use.actions.join(", ") || "nothing"})`);
    }
    if (use.principalArns.length === 0 || use.principalArns.includes("*")) {
      throw new Error(`${this.node.path}: key use ${use.sid} must name role ARNs, not * or nothing`);
    }
    if (this.uses.some((u) => u.sid === use.sid)) throw new Error(`${this.node.path}: key use ${use.sid} is granted twice`);
    this.uses.push(use);
    this.policyDocument.putStatement([...this.baseStatements, ...this.uses.map(useStatement)]);
  }
}

function useStatement(use: KeyUse): DataAwsIamPolicyDocumentStatement {
  return {
    sid: use.sid,
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: [...use.principalArns] }],
    actions: [...use.actions],
    resources: ["*"],
    ...(use.viaService && { condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [use.viaService] }] }),
  };
}
