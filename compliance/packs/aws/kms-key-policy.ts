import { actionMatches, type PolicyStatement } from "../../iam-policy-evaluator";
import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import type { ResourceView, StackView } from "../../../synthesized/stack-view";
import { listOf, principalsOf, readPolicy, statementName } from "./policy-documents";

/** Holding any of these makes a principal a key administrator. */
const ADMIN_ACTIONS = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CancelKeyDeletion"];
/** Cryptographic use of the key: what administrators must not be able to do. */
const CRYPTO_ACTIONS = [
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GenerateDataKeyPair",
  "kms:GenerateDataKeyPairWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
];

/** The actions of `candidates` an Allow statement grants (NotAction grants everything it does not list). */
function grants(s: PolicyStatement, candidates: readonly string[]): string[] {
  if (s.NotAction !== undefined) return candidates.filter((a) => !listOf(s.NotAction).some((p) => actionMatches(p, a)));
  return candidates.filter((a) => listOf(s.Action).some((p) => actionMatches(p, a)));
}

/** The key policy attribute: aws_kms_key.policy, else an aws_kms_key_policy of this key. */
function keyPolicy(key: ResourceView, stack: StackView): { where: string; policy: unknown } | undefined {
  if (key.attributes.policy !== undefined) return { where: `${key.address} policy`, policy: key.attributes.policy };
  const separate = stack.referencing("aws_kms_key_policy", "key_id", key.address)[0];
  return separate ? { where: `${separate.address} policy`, policy: separate.attributes.policy } : undefined;
}

export const kmsKeyPolicy: ComplianceRule = {
  id: "AWS-KMS-002",
  title: "KMS key policies grant nothing to everyone unconditionally and separate key administration from key use",
  severity: "high",
  rationale:
    "AWS KMS best practices (Key policies: least privilege, separation of duties): a key policy is the primary control of a key, so " +
    "no Allow may name principal \"*\" without a condition, and the principals that administer the key (put its policy, schedule " +
    "its deletion) must not also be able to encrypt, decrypt or generate data keys with it; CIS-style IAM rule: no kms:* grants.",
  fix:
    "Use an aws_iam_policy_document for the key: administrators get the key-management actions only, the workload roles get " +
    "only the cryptographic actions they need, and any principal \"*\" statement carries a condition (kms:CallerAccount, kms:ViaService).",
  appliesTo: ["aws_kms_key"],
  check(key, stack) {
    const source = keyPolicy(key, stack);
    if (!source) return nonCompliant(`${key.address} has no policy and no aws_kms_key_policy (the default policy grants kms:* to the account)`);
    const read = readPolicy(source.policy, stack);
    if (!read.ok) return nonCompliant(`${source.where} could not be read: ${read.error}`);
    const allows = read.statements.map((s, i) => ({ s, name: statementName(s, i) })).filter(({ s }) => s.Effect === "Allow");
    const found: string[] = [];
    for (const { s, name } of allows) {
      const everyone = Object.values(principalsOf(s)).some((ids) => ids.includes("*"));
      if (everyone && s.Condition === undefined) found.push(`statement ${name} allows ${listOf(s.Action ?? s.NotAction).join(", ")} to principal "*" without a condition`);
    }
    const admins = new Set(
      allows.filter(({ s }) => grants(s, ADMIN_ACTIONS).length > 0).flatMap(({ s }) => Object.values(principalsOf(s)).flat()).filter((id) => id !== "*"),
    );
    for (const { s, name } of allows) {
      const crypto = grants(s, CRYPTO_ACTIONS);
      const adminsHere = Object.values(principalsOf(s)).flat().filter((id) => admins.has(id));
      if (crypto.length > 0 && adminsHere.length > 0) {
        found.push(`statement ${name} grants ${crypto.join(", ")} to key administrator ${adminsHere.join(", ")}`);
      }
    }
    if (found.length > 0) return nonCompliant(`${source.where}: ${found.join("; ")}`);
    return compliant(
      `${source.where}: no unconditioned Allow to "*"; administrators (${[...admins].join(", ") || "none"}) hold no cryptographic actions`,
    );
  },
};
