/**
 * Reads the IAM policy behind a policy attribute of a synthesized stack (a reference to an
 * `aws_iam_policy_document` or a literal JSON document) as IAM JSON statements, with Terraform references
 * replaced by stand-ins so the evaluator can run. Not a rule.
 */
import {
  policyDocumentStatements,
  substituteReferences,
  type PolicyStatement,
} from "../../iam-policy-evaluator";
import type { StackView } from "../../../synthesized/stack-view";

export type ReadPolicy =
  | { readonly ok: true; readonly statements: PolicyStatement[] }
  | { readonly ok: false; readonly error: string };

const DOCUMENT_REF = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/;
// Attributes that merge other documents in at apply time: what they add cannot be read from this block.
const MERGING = ["source_policy_documents", "override_policy_documents", "source_json", "override_json"];

/**
 * The statements of `policy`. `known` maps Terraform references (`${aws_s3_bucket.x.arn}`) to concrete values;
 * every other reference becomes `tf-ref:<address>` so that nothing unresolved reaches the evaluator.
 */
export function readPolicy(policy: unknown, stack: StackView, known: Readonly<Record<string, string>> = {}): ReadPolicy {
  try {
    let statements: PolicyStatement[];
    const doc = typeof policy === "string" ? DOCUMENT_REF.exec(policy) : null;
    if (doc) {
      const attributes = stack.json.data?.aws_iam_policy_document?.[doc[1]] ?? {};
      const merged = MERGING.filter((k) => attributes[k] !== undefined);
      if (merged.length > 0) return { ok: false, error: `data.aws_iam_policy_document.${doc[1]} merges ${merged.join(", ")}, which cannot be read before apply` };
      statements = policyDocumentStatements(stack.json, policy);
    } else if (typeof policy === "string" && policy.trim().startsWith("{")) {
      const parsed = JSON.parse(policy) as { Statement?: PolicyStatement | PolicyStatement[] };
      statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    } else {
      return { ok: false, error: `policy ${policy === undefined ? "(unset)" : String(policy)} is neither an aws_iam_policy_document reference nor a JSON document` };
    }
    const substituted = substituteReferences(statements, known);
    const standIns = JSON.parse(JSON.stringify(substituted), (_k, v: unknown) =>
      typeof v === "string" ? v.replace(/\$\{([^}]*)\}/g, "tf-ref:$1") : v,
    ) as PolicyStatement[];
    return { ok: true, statements: standIns };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** A statement's element as a list (`Action: "s3:*"` and `Action: ["s3:*"]` alike). */
export function listOf(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : value;
}

/** The principal identifiers a statement names, by type (`*` as `{ "*": ["*"] }`). */
export function principalsOf(s: PolicyStatement): Record<string, readonly string[]> {
  if (s.Principal === undefined) return {};
  if (s.Principal === "*") return { "*": ["*"] };
  return Object.fromEntries(Object.entries(s.Principal).map(([type, ids]) => [type, listOf(ids)]));
}

/** `Sid` or `#<index>`, to name a statement in findings. */
export function statementName(s: PolicyStatement, index: number): string {
  return s.Sid ?? `#${index}`;
}
