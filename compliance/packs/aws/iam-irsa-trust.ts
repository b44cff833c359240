import type { PolicyStatement } from "../../iam-policy-evaluator";
import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { listOf, principalsOf, readPolicy, statementName } from "./policy-documents";

/** A single, concrete Kubernetes service account: no `*` or `?` anywhere. */
const SERVICE_ACCOUNT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Web-identity statements: the ones an EKS service account token can satisfy. */
function isWebIdentity(s: PolicyStatement): boolean {
  const federated = principalsOf(s).Federated ?? [];
  return (
    s.Effect === "Allow" &&
    (federated.length > 0 || listOf(s.Action).some((a) => a.toLowerCase() === "sts:assumerolewithwebidentity"))
  );
}

/** Problems with one web-identity statement's StringEquals conditions on `<issuer>:sub` and `<issuer>:aud`. */
function problemsOf(s: PolicyStatement, name: string): string[] {
  const federated = principalsOf(s).Federated ?? [];
  // The issuer is the OIDC provider ARN's path; a reference (known only after apply) leaves any issuer possible.
  const issuers = federated.map((id) => /:oidc-provider\/(.+)$/.exec(id)?.[1]).filter((i): i is string => i !== undefined);
  const equals = (s.Condition?.StringEquals ?? {}) as Record<string, unknown>;
  const keyFor = (claim: "sub" | "aud") =>
    Object.keys(equals).find((k) => (issuers.length > 0 ? issuers.some((i) => k === `${i}:${claim}`) : k.endsWith(`:${claim}`)));
  const problems: string[] = [];
  const subKey = keyFor("sub");
  const subs = subKey ? listOf(equals[subKey] as string | string[]).map(String) : [];
  if (!subKey) problems.push(`statement ${name} has no StringEquals on ${issuers[0] ?? "<issuer>"}:sub`);
  else if (subs.length === 0 || !subs.every((v) => SERVICE_ACCOUNT.test(v))) {
    problems.push(`statement ${name} StringEquals ${subKey} = ${subs.join(", ")} (one concrete system:serviceaccount:<namespace>:<name> each)`);
  }
  const audKey = keyFor("aud");
  const auds = audKey ? listOf(equals[audKey] as string | string[]).map(String) : [];
  if (!audKey) problems.push(`statement ${name} has no StringEquals on ${issuers[0] ?? "<issuer>"}:aud`);
  else if (auds.length !== 1 || auds[0] !== "sts.amazonaws.com") problems.push(`statement ${name} StringEquals ${audKey} = ${auds.join(", ")} (sts.amazonaws.com required)`);
  return problems;
}

export const iamIrsaTrust: ComplianceRule = {
  id: "AWS-IAM-003",
  title: "IRSA role trust policies pin one service account and the STS audience",
  severity: "critical",
  rationale:
    "Amazon EKS user guide (IAM roles for service accounts: configure a role's trust policy): scope the trust to the service " +
    "account with StringEquals on <issuer>:sub = system:serviceaccount:<namespace>:<name> and <issuer>:aud = sts.amazonaws.com; " +
    "without them (or with a wildcard) any pod of the cluster, or any token the OIDC provider issues, can assume the role.",
  fix:
    "In the role's trust aws_iam_policy_document add condition blocks { test = \"StringEquals\", variable = \"<issuer>:sub\", " +
    "values = [\"system:serviceaccount:<ns>:<sa>\"] } and { test = \"StringEquals\", variable = \"<issuer>:aud\", values = [\"sts.amazonaws.com\"] }.",
  appliesTo: ["aws_iam_role"],
  check(role, stack) {
    const read = readPolicy(role.attributes.assume_role_policy, stack);
    if (!read.ok) return nonCompliant(`${role.address} assume_role_policy could not be read: ${read.error}`);
    const web = read.statements.map((s, i) => ({ s, name: statementName(s, i) })).filter(({ s }) => isWebIdentity(s));
    if (web.length === 0) return notApplicable;
    const problems = web.flatMap(({ s, name }) => problemsOf(s, name));
    if (problems.length > 0) return nonCompliant(`${role.address} assume_role_policy: ${problems.join("; ")}`);
    const subjects = web.flatMap(({ s }) => Object.entries(s.Condition?.StringEquals ?? {}).filter(([k]) => k.endsWith(":sub")).flatMap(([, v]) => listOf(v as string[])));
    return compliant(`${role.address} assume_role_policy StringEquals :sub = ${subjects.join(", ")}, :aud = sts.amazonaws.com`);
  },
};
