/**
 * A small IAM policy evaluator for bucket, key and identity policies: enough of AWS's evaluation logic to prove
 * what a synthesized policy denies, and honest about the rest (anything it does not model throws instead of
 * guessing). Used by tests and by compliance rules.
 *
 * Modelled: Allow/Deny with explicit deny winning; Action/NotAction (case-insensitive, `*` and `?` wildcards);
 * Resource/NotResource (case-sensitive wildcards; a statement without either, as in a role trust policy, applies to
 * the resource the policy is attached to); Principal `*`, `{ AWS | Federated | Service: [...] }`;
 * condition operators StringEquals, StringNotEquals, StringLike, StringNotLike, Bool, NumericEquals,
 * NumericNotEquals, NumericLessThan(Equals), NumericGreaterThan(Equals), ArnEquals/ArnLike, ArnNotEquals/ArnNotLike,
 * Null, each optionally with the `IfExists` suffix; several keys or operators are ANDed, several values ORed
 * (NOR for negated operators); a missing key fails a positive operator and satisfies a negated one, as in AWS.
 *
 * Not modelled (throws): ForAnyValue/ForAllValues set operators, IP and date operators, policy variables
 * (`${aws:username}`) and unresolved Terraform references (`${aws_kms_key.x.arn}`: substitute them first).
 */

export type Effect = "Allow" | "Deny";

/** A principal as IAM JSON writes it: `"*"` or a map of principal type to identifiers. */
export type Principal = "*" | Readonly<Record<string, string | readonly string[]>>;

/** A policy statement in IAM JSON form (what `aws_iam_policy_document` renders). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Principal?: Principal;
  readonly NotPrincipal?: Principal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | number | readonly (string | boolean | number)[]>>>>;
}

/** One request as AWS would evaluate it. */
export interface PolicyRequest {
  /** e.g. `s3:PutObject`. */
  readonly action: string;
  /** The resource ARN, e.g. `arn:aws:s3:::bucket/key`. */
  readonly resource: string;
  /** Who calls: principal type (`AWS`, `Federated`, `Service`) and identifier (an ARN). @default - anonymous */
  readonly principal?: { readonly type: string; readonly id: string };
  /** Request context keys (case-insensitive names); an absent key is missing from the context. */
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = "explicit-deny" | "allow" | "implicit-deny";

export interface Evaluation {
  readonly decision: Decision;
  /** Sids (or `#<index>` without a Sid) of the Deny statements that matched. */
  readonly deniedBy: readonly string[];
  /** Sids (or `#<index>`) of the Allow statements that matched. */
  readonly allowedBy: readonly string[];
}

/** Evaluates one request against a list of statements: any matching Deny wins, then any matching Allow. */
export function evaluatePolicy(statements: readonly PolicyStatement[], request: PolicyRequest): Evaluation {
  const deniedBy: string[] = [];
  const allowedBy: string[] = [];
  statements.forEach((s, i) => {
    if (!statementMatches(s, request)) return;
    const name = s.Sid ?? `#${i}`;
    if (s.Effect === "Deny") deniedBy.push(name);
    else allowedBy.push(name);
  });
  const decision: Decision = deniedBy.length > 0 ? "explicit-deny" : allowedBy.length > 0 ? "allow" : "implicit-deny";
  return { decision, deniedBy, allowedBy };
}

/** True when every part of the statement (principal, action, resource, conditions) applies to the request. */
export function statementMatches(s: PolicyStatement, request: PolicyRequest): boolean {
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw new Error(`statement ${s.Sid ?? ""}: Effect must be Allow or Deny (got ${String(s.Effect)})`);
  if (s.Principal !== undefined && !principalMatches(s.Principal, request)) return false;
  if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, request)) return false;
  if (!elementMatches(s.Action, s.NotAction, request.action, actionMatches, "Action", s.Sid)) return false;
  if (!elementMatches(s.Resource, s.NotResource, request.resource, resourceMatches, "Resource", s.Sid)) return false;
  return conditionsHold(s.Condition ?? {}, request.context ?? {}, s.Sid);
}

function elementMatches(
  positive: string | readonly string[] | undefined,
  negative: string | readonly string[] | undefined,
  value: string,
  match: (pattern: string, value: string) => boolean,
  element: string,
  sid: string | undefined,
): boolean {
  if (positive !== undefined && negative !== undefined) {
    throw new Error(`statement ${sid ?? ""}: has both ${element} and Not${element}`);
  }
  if (positive === undefined && negative === undefined) {
    // A role trust policy names no Resource: it is about the role it is attached to.
    if (element === "Resource") return true;
    throw new Error(`statement ${sid ?? ""}: needs one of ${element} and Not${element}`);
  }
  if (positive !== undefined) return asList(positive).some((p) => match(p, value));
  return !asList(negative!).some((p) => match(p, value));
}

function principalMatches(principal: Principal, request: PolicyRequest): boolean {
  if (principal === "*") return true;
  const caller = request.principal;
  if (!caller) return false;
  return Object.entries(principal).some(
    ([type, ids]) => type === caller.type && asList(ids).some((id) => id === "*" || id === caller.id),
  );
}

/** IAM action names are case-insensitive; `*` and `?` are wildcards. */
export function actionMatches(pattern: string, action: string): boolean {
  return globToRegExp(pattern, "i").test(action);
}

/** Resource ARNs are case-sensitive; `*` and `?` are wildcards. */
export function resourceMatches(pattern: string, resource: string): boolean {
  rejectVariables(pattern, "Resource");
  return globToRegExp(pattern, "").test(resource);
}

function globToRegExp(pattern: string, flags: string): RegExp {
  const body = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`, flags);
}

function rejectVariables(value: string, where: string): void {
  if (value.includes("${")) {
    throw new Error(`${where} ${value}: policy variables and Terraform references are not evaluated; substitute them first`);
  }
}

const NEGATED = new Set(["StringNotEquals", "StringNotLike", "NumericNotEquals", "ArnNotEquals", "ArnNotLike"]);

function conditionsHold(
  condition: NonNullable<PolicyStatement["Condition"]>,
  context: Readonly<Record<string, string>>,
  sid: string | undefined,
): boolean {
  const lookup = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.entries(condition).every(([rawOperator, keys]) => {
    if (/^For(Any|All)Value:/.test(rawOperator)) throw new Error(`statement ${sid ?? ""}: set operator ${rawOperator} is not supported`);
    const ifExists = rawOperator.endsWith("IfExists");
    const operator = ifExists ? rawOperator.slice(0, -"IfExists".length) : rawOperator;
    return Object.entries(keys).every(([key, rawValues]) => {
      const values = asList(rawValues).map(String);
      values.forEach((v) => rejectVariables(v, `Condition ${operator} ${key}`));
      const actual = lookup.get(key.toLowerCase());
      if (operator === "Null") {
        if (values.length !== 1 || !/^(true|false)$/i.test(values[0])) {
          throw new Error(`statement ${sid ?? ""}: Null ${key} takes one value, true or false (got ${values.join(", ")})`);
        }
        return (actual === undefined) === (values[0].toLowerCase() === "true");
      }
      if (actual === undefined) return ifExists || NEGATED.has(operator);
      const test = operatorTest(operator, sid);
      return NEGATED.has(operator) ? !values.some((v) => test(actual, v)) : values.some((v) => test(actual, v));
    });
  });
}

/** The positive test behind each operator (negated operators reuse their positive twin). */
function operatorTest(operator: string, sid: string | undefined): (actual: string, expected: string) => boolean {
  const numeric = (f: (a: number, b: number) => boolean) => (a: string, b: string) => {
    const x = Number(a);
    const y = Number(b);
    return a.trim() !== "" && b.trim() !== "" && Number.isFinite(x) && Number.isFinite(y) && f(x, y);
  };
  switch (operator) {
    case "StringEquals":
    case "StringNotEquals":
      return (a, b) => a === b;
    case "StringEqualsIgnoreCase":
      return (a, b) => a.toLowerCase() === b.toLowerCase();
    case "StringLike":
    case "StringNotLike":
    case "ArnLike":
    case "ArnNotLike":
      return (a, b) => globToRegExp(b, "").test(a);
    case "ArnEquals":
    case "ArnNotEquals":
      return (a, b) => a === b;
    case "Bool":
      return (a, b) => a.toLowerCase() === b.toLowerCase();
    case "NumericEquals":
    case "NumericNotEquals":
      return numeric((a, b) => a === b);
    case "NumericLessThan":
      return numeric((a, b) => a < b);
    case "NumericLessThanEquals":
      return numeric((a, b) => a <= b);
    case "NumericGreaterThan":
      return numeric((a, b) => a > b);
    case "NumericGreaterThanEquals":
      return numeric((a, b) => a >= b);
    default:
      throw new Error(`statement ${sid ?? ""}: condition operator ${operator} is not supported by this evaluator`);
  }
}

function asList<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

/** A statement of `aws_iam_policy_document` as it appears in synthesized `cdk.tf.json` (snake_case blocks). */
export interface TerraformPolicyStatement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: readonly string[];
  readonly not_actions?: readonly string[];
  readonly resources?: readonly string[];
  readonly not_resources?: readonly string[];
  readonly principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly not_principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly condition?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/**
 * Converts the synthesized statements of an `aws_iam_policy_document` into IAM JSON statements, as the data
 * source renders them: effect defaults to Allow, principal blocks merge by type, condition blocks become
 * `{ test: { variable: values } }`. Two condition blocks with the same test and variable are rejected, since
 * the data source's merge of them is easy to misread.
 */
export function fromTerraformStatements(statements: readonly TerraformPolicyStatement[]): PolicyStatement[] {
  return statements.map((s, i) => {
    const principals = (blocks: TerraformPolicyStatement["principals"]): Principal | undefined => {
      if (!blocks || blocks.length === 0) return undefined;
      if (blocks.length === 1 && blocks[0].type === "*") return "*";
      const merged: Record<string, string[]> = {};
      for (const b of blocks) merged[b.type] = [...(merged[b.type] ?? []), ...b.identifiers];
      return merged;
    };
    const condition: Record<string, Record<string, string[]>> = {};
    for (const c of s.condition ?? []) {
      condition[c.test] ??= {};
      if (condition[c.test][c.variable]) {
        throw new Error(`statement ${s.sid ?? `#${i}`}: two ${c.test} conditions on ${c.variable}; merge their values`);
      }
      condition[c.test][c.variable] = [...c.values];
    }
    const effect = s.effect ?? "Allow";
    if (effect !== "Allow" && effect !== "Deny") throw new Error(`statement ${s.sid ?? `#${i}`}: effect must be Allow or Deny (got ${effect})`);
    return {
      ...(s.sid !== undefined && { Sid: s.sid }),
      Effect: effect,
      ...(principals(s.principals) !== undefined && { Principal: principals(s.principals) }),
      ...(principals(s.not_principals) !== undefined && { NotPrincipal: principals(s.not_principals) }),
      ...(s.actions && { Action: [...s.actions] }),
      ...(s.not_actions && { NotAction: [...s.not_actions] }),
      ...(s.resources && { Resource: [...s.resources] }),
      ...(s.not_resources && { NotResource: [...s.not_resources] }),
      ...(s.condition && s.condition.length > 0 && { Condition: condition }),
    };
  });
}

/**
 * Replaces Terraform references (`${aws_kms_key.backup.arn}`) in statements with concrete values, so a
 * synthesized policy can be evaluated as AWS would see it after apply. Unknown references are left in place
 * (and the evaluator then refuses them).
 */
export function substituteReferences(statements: readonly PolicyStatement[], values: Readonly<Record<string, string>>): PolicyStatement[] {
  const replace = (s: string) => Object.entries(values).reduce((acc, [ref, v]) => acc.split(ref).join(v), s);
  return JSON.parse(JSON.stringify(statements), (_k, v) => (typeof v === "string" ? replace(v) : v)) as PolicyStatement[];
}

/**
 * The statements behind a policy attribute of a synthesized stack: follows `${data.aws_iam_policy_document.<name>.json}`
 * to that data source in `cdk.tf.json` and converts its statements. Throws when the attribute is not such a
 * reference (a hand-written JSON string, for example), so a rule never evaluates something it did not read.
 */
export function policyDocumentStatements(synthesized: unknown, policyAttribute: unknown): PolicyStatement[] {
  const match = typeof policyAttribute === "string" ? /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/.exec(policyAttribute) : null;
  if (!match) throw new Error(`policy ${String(policyAttribute)} is not a reference to an aws_iam_policy_document`);
  const doc = (synthesized as { data?: Record<string, Record<string, { statement?: TerraformPolicyStatement[] }>> }).data
    ?.aws_iam_policy_document?.[match[1]];
  if (!doc) throw new Error(`aws_iam_policy_document.${match[1]} is not in the synthesized stack`);
  return fromTerraformStatements(doc.statement ?? []);
}
