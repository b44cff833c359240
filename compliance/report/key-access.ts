/**
 * "Who can decrypt the backups?": for every KMS key of an environment, what it encrypts, the principals its key policy
 * lets decrypt, use or administer it (an administrator can rewrite the policy, so can change who decrypts), and the IAM
 * roles of the stack whose own policies name the key, with whether the key policy admits them (KMS needs both: the
 * key policy must name the principal, or delegate to the account's IAM policies).
 */
import { actionMatches, type PolicyStatement } from "../iam-policy-evaluator";
import { listOf, principalsOf, readPolicy } from "../packs/aws/policy-documents";
import { firstBlock, type ResourceView, type StackView } from "../../synthesized/stack-view";
import { heading, paragraph, table, type Block } from "../../document/document";

const DECRYPT = ["kms:Decrypt", "kms:ReEncryptFrom"];
const ENCRYPT = ["kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo", "kms:GenerateDataKeyPair"];
const ADMINISTER = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:CreateGrant"];

const tick = (s: string) => `\`${s}\``;

/** The actions of `candidates` an Allow statement grants (NotAction grants all it does not list). */
function granted(s: PolicyStatement, candidates: readonly string[]): string[] {
  if (s.NotAction !== undefined) return candidates.filter((a) => !listOf(s.NotAction).some((p) => actionMatches(p, a)));
  return candidates.filter((a) => listOf(s.Action).some((p) => actionMatches(p, a)));
}

/** `tf-ref:aws_iam_role.x.arn` (readPolicy's stand-in for a reference) → the block it names. */
function referenced(stack: StackView, value: string): ResourceView | undefined {
  const m = /^tf-ref:((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\./.exec(value);
  return m ? stack.all().find((b) => b.address === m[1]) : undefined;
}

/** A principal as a reviewer reads it: the role's name for a reference, `role/x (account n)` for an ARN. */
function principalName(stack: StackView, type: string, id: string): string {
  if (type === "*") return "**anyone** (`*`)";
  const block = referenced(stack, id);
  if (block) return `${block.type === "aws_iam_role" ? "role" : block.type} ${tick(String(block.attributes.name ?? block.address))}`;
  const arn = /^arn:aws[a-z-]*:iam::(\d{12}):(root|role\/.+|user\/.+)$/.exec(id);
  if (arn) return arn[2] === "root" ? `account ${arn[1]} (root: the account's IAM policies)` : `${tick(arn[2])} (account ${arn[1]})`;
  return `${type === "AWS" ? "" : `${type} `}${tick(id)}`;
}

function conditionText(s: PolicyStatement): string {
  return Object.entries(s.Condition ?? {})
    .flatMap(([op, byKey]) => Object.entries(byKey).map(([key, v]) => `${key} ${op} ${([] as unknown[]).concat(v).join(", ")}`))
    .join("; ");
}

function mayText(s: PolicyStatement): string {
  const parts = [
    granted(s, DECRYPT).length > 0 && "**decrypt**",
    granted(s, ENCRYPT).length > 0 && "encrypt",
    granted(s, ADMINISTER).length > 0 && "administer",
  ].filter(Boolean);
  const actions = s.NotAction !== undefined ? `everything but ${listOf(s.NotAction).join(", ")}` : listOf(s.Action).join(", ");
  return `${parts.length > 0 ? `${parts.join(", ")}: ` : ""}${actions}`;
}

/** The key's policy statements, from `aws_kms_key.policy` or a separate `aws_kms_key_policy`. */
function keyStatements(stack: StackView, key: ResourceView): PolicyStatement[] | string {
  const separate = stack.referencing("aws_kms_key_policy", "key_id", key.address)[0];
  const policy = key.attributes.policy ?? separate?.attributes.policy;
  if (policy === undefined) return "no key policy in the synthesized output: AWS applies its default key policy (the account's IAM policies decide)";
  const read = readPolicy(policy, stack);
  return read.ok ? read.statements : `key policy not readable: ${read.error}`;
}

/** True when an Allow names the principal (by reference or ARN) or the account root, for one of `actions`. */
function admits(statements: readonly PolicyStatement[], role: ResourceView, actions: readonly string[]): boolean {
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      granted(s, actions).length > 0 &&
      Object.values(principalsOf(s))
        .flat()
        .some((id) => id === "*" || id.startsWith(`tf-ref:${role.address}.`) || id === role.attributes.arn || /:root$/.test(id)),
  );
}

/** Inline policies of each IAM role of the stack, as statements. */
function rolePolicies(stack: StackView): { role: ResourceView; statements: PolicyStatement[] }[] {
  return stack.of("aws_iam_role").map((role) => {
    const docs = [...stack.referencing("aws_iam_role_policy", "role", role.address).map((p) => p.attributes.policy), ...[role.attributes.inline_policy].flat().map((b) => firstBlock(b)?.policy)];
    return { role, statements: docs.flatMap((d) => (d === undefined ? [] : (readPolicy(d, stack) as { statements?: PolicyStatement[] }).statements ?? [])) };
  });
}

function keyTitle(stack: StackView, key: ResourceView): string {
  const alias = stack.of("aws_kms_alias").find((a) => stack.resolve(a.attributes.target_key_id)?.address === key.address);
  return alias ? String(alias.attributes.name) : key.address;
}

export interface KeyDecryption {
  readonly stack: string;
  readonly address: string;
  /** Its alias, or its address when it has none. */
  readonly title: string;
  readonly description: string;
  /** Buckets it is the default encryption of. */
  readonly encrypts: readonly string[];
  /** Principals the key policy lets decrypt, and change the key policy; undefined when the policy is not readable. */
  readonly decrypt?: readonly string[];
  readonly admin?: readonly string[];
  /** Why the key policy could not be read. */
  readonly unreadable?: string;
  /** IAM roles whose own policies name the key: what they may, and whether the key policy admits them. */
  readonly roles: readonly { readonly role: string; readonly may: string; readonly admitted: boolean }[];
}

/** Who can decrypt, and change who decrypts, each KMS key of an environment, from its key policy and the roles' own policies. */
export function keyDecryption(env: { readonly stacks: readonly StackView[] }): KeyDecryption[] {
  return env.stacks.flatMap((stack) =>
    stack.of("aws_kms_key").map((key) => {
      const encrypts = stack
        .of("aws_s3_bucket_server_side_encryption_configuration")
        .filter((sse) => JSON.stringify(sse.attributes.rule ?? "").includes(`\${${key.address}.`))
        .map((sse) => stack.resolve(sse.attributes.bucket))
        .map((b) => String(b?.attributes.bucket ?? b?.address));
      const base = { stack: stack.id, address: key.address, title: keyTitle(stack, key), description: String(key.attributes.description ?? ""), encrypts };
      const statements = keyStatements(stack, key);
      if (typeof statements === "string") return { ...base, unreadable: statements, roles: [] };
      const names = (s: PolicyStatement) => Object.entries(principalsOf(s)).flatMap(([type, ids]) => ids.map((id) => principalName(stack, type, id)));
      const allows = statements.filter((s) => s.Effect === "Allow");
      const USE = [...DECRYPT, ...ENCRYPT, ...ADMINISTER];
      const roles = rolePolicies(stack).flatMap(({ role, statements: own }) =>
        own
          .filter((s) => s.Effect === "Allow" && granted(s, USE).length > 0)
          .filter((s) => listOf(s.Resource).some((r) => r === "*" || r.startsWith(`tf-ref:${key.address}.`) || r === key.attributes.arn))
          .map((s) => ({ role: `role ${tick(String(role.attributes.name ?? role.address))}`, may: `${mayText(s)}${conditionText(s) ? ` if ${conditionText(s)}` : ""}`, admitted: admits(statements, role, granted(s, USE)) })),
      );
      return {
        ...base,
        decrypt: [...new Set(allows.filter((s) => granted(s, DECRYPT).length > 0).flatMap(names))],
        admin: [...new Set(allows.filter((s) => granted(s, ["kms:PutKeyPolicy"]).length > 0).flatMap(names))],
        roles,
      };
    }),
  );
}

/** `no principal: nothing encrypted with it can be read back` when a key has no decrypter. */
export const NOBODY = "**no principal**: what it encrypts cannot be read back";

export function keyAccess(env: { readonly stacks: readonly StackView[] }): Block[] {
  const keys = keyDecryption(env);
  if (keys.length === 0) return [];
  return [
    heading(3, "Who can decrypt the backups"),
    paragraph(
      "For each KMS key: what it encrypts, who its key policy lets decrypt and who may rewrite that policy (and so change " +
        "who decrypts), and the IAM roles whose own policies name it. KMS allows a request only if the key policy names the " +
        "principal (or delegates to the account's IAM policies).",
    ),
    table(
      ["key", "encrypts", "can decrypt", "can change who decrypts (kms:PutKeyPolicy)", "IAM roles naming it (own policy)"],
      keys.map((k) => [
        `${k.title} (${k.stack} ${tick(k.address)})`,
        k.encrypts.length > 0 ? k.encrypts.map(tick).join(", ") : k.description,
        k.unreadable ?? (k.decrypt!.length > 0 ? k.decrypt!.join(", ") : NOBODY),
        k.unreadable ? "-" : k.admin!.join(", ") || "no principal",
        k.roles.map((r) => `${r.role}: ${r.may}${r.admitted ? "" : " (**the key policy does not name it: KMS refuses**)"}`).join("; ") || "-",
      ]),
    ),
  ];
}
