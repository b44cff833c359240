/**
 * The IAM side of the AWS secrets engine, proved with the project's IAM evaluator (compliance/iam-policy-evaluator.ts)
 * on the synthesized stacks: Vault's IRSA role can assume exactly the target roles the config stack's Vault roles
 * hand out, nothing else; and the trust statement the tenant guide prints admits Vault's role and no one else.
 */
import { Testing } from "cdktf";
import { evaluatePolicy, actionMatches, type PolicyStatement } from "../../compliance/iam-policy-evaluator";
import { readPolicy } from "../../compliance/packs/aws/policy-documents";
import { targetTrustStatement } from "../../constructs/aws-secrets-access";
import { StackView, asList, helmValues } from "../../synthesized/stack-view";
import { addEnvironment } from "../../stacks/environment";
import { iamRoleNames, vaultServerRoleArn } from "../../stacks/vault-backup-stack";
import { configFor, defaultPolicies, synthJson } from "../helpers";

const ASSUME = "sts:AssumeRole";

/** The Allow statements' resource patterns for `action`, and what the policy decides for each candidate role ARN. */
function assumable(statements: readonly PolicyStatement[], candidates: readonly string[]): { patterns: string[]; allowed: string[] } {
  const patterns = statements
    .filter((s) => s.Effect === "Allow" && asList(s.Action).some((a: string) => actionMatches(a, ASSUME)))
    .flatMap((s) => asList(s.Resource).map(String));
  const allowed = candidates.filter((resource) => evaluatePolicy(statements, { action: ASSUME, resource }).decision === "allow");
  return { patterns: [...new Set(patterns)].sort(), allowed: allowed.sort() };
}

/**
 * Problems of a grant against the declared targets: a pattern that is not literally one declared ARN (a wildcard
 * or an extra ARN), a declared target denied, or a probe allowed. A pattern without `*`/`?` matches only itself in
 * IAM, so "every pattern is a declared ARN" proves nothing else is assumable; the probes check the evaluator agrees.
 */
function grantProblems(statements: readonly PolicyStatement[], declared: readonly string[], probes: readonly string[]): string[] {
  const { patterns, allowed } = assumable(statements, [...declared, ...probes]);
  return [
    ...patterns.filter((p) => /[*?]/.test(p) || !declared.includes(p)).map((p) => `grants ${ASSUME} on ${p}, not a declared target`),
    ...declared.filter((d) => !allowed.includes(d)).map((d) => `cannot assume the declared target ${d}`),
    ...allowed.filter((a) => !declared.includes(a)).map((a) => `can assume ${a}`),
  ];
}

describe.each(["dev", "prod"] as const)("AWS secrets engine IAM in %s", (env) => {
  const config = configFor(env);
  let serverStatements: PolicyStatement[];
  let declared: string[];
  let serverRoleName: string;
  let podIdentity: { annotated: string; roleRef: string; subjects: string[]; serviceAccount: string };
  beforeAll(async () => {
    const { backup, cluster, vaultConfig } = addEnvironment(Testing.app(), config, await defaultPolicies());
    const backupView = new StackView(backup.node.id, synthJson(backup));
    const clusterView = new StackView(cluster.node.id, synthJson(cluster));
    const configView = new StackView(vaultConfig.node.id, synthJson(vaultConfig));
    // Vault's role: the IRSA role of the server pods, found by the name IAM gives it, and its inline policy.
    const role = backupView.of("aws_iam_role").find((r) => r.attributes.name === iamRoleNames(env).server)!;
    serverRoleName = String(role.attributes.name);
    const policy = backupView.of("aws_iam_role_policy").find((p) => String(p.attributes.role).includes(`aws_iam_role.${role.name}.`))!;
    const read = readPolicy(policy.attributes.policy, backupView);
    if (!read.ok) throw new Error(read.error);
    serverStatements = read.statements;
    // The pods the engine runs in: the Vault release's server service account and the role its annotation names.
    const sa = helmValues(clusterView.of("helm_release").find((r) => r.attributes.chart === "vault")!).server.serviceAccount;
    // A cross-stack reference: the role itself within one Testing synth, a remote-state output of it in a full synth.
    const annotation = String(sa.annotations["eks.amazonaws.com/role-arn"]);
    const viaOutput = /\.outputs\.([^.}]+)\}$/.exec(annotation)?.[1];
    const trust = backupView.json.data.aws_iam_policy_document[String(role.attributes.assume_role_policy).split(".")[2]!];
    podIdentity = {
      annotated: viaOutput ? String(backupView.json.output[viaOutput]?.value) : annotation,
      roleRef: `\${aws_iam_role.${role.name}.arn}`,
      subjects: trust.statement.flatMap((st: any) => st.condition.filter((c: any) => c.variable.endsWith(":sub")).flatMap((c: any) => c.values)),
      serviceAccount: `system:serviceaccount:${config.cluster.namespace}:${sa.name}`,
    };
    // What Vault can hand out: every role_arns entry of the synthesized Vault roles.
    declared = [...new Set(configView.of("vault_aws_secret_backend_role").flatMap((r) => asList(r.attributes.role_arns).map(String)))].sort();
  });

  /** Roles Vault must not reach: neighbours of each target, the platform's own roles, the same name elsewhere. */
  const probes = () => {
    const account = config.aws.accountId;
    const own = Object.values(iamRoleNames(env)).map((n) => `arn:aws:iam::${account}:role/${n}`);
    return [
      ...declared.flatMap((t) => [`${t}-admin`, t.slice(0, -1), t.replace(/role\//, "role/team/"), t.replace(/::\d{12}:/, "::999999999999:")]),
      ...own,
      ...config.backup.kmsAdminRoleArns,
      `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
    ].filter((p) => !declared.includes(p));
  };

  it("declares targets in the config stack (Phoenix Guardian's role among them)", () => {
    const pg = config.applications.find((a) => a.name === "phoenix-guardian")!;
    const pgTargets = config.vault.aws!.roles.filter((r) => pg.awsRoles.includes(r.name)).flatMap((r) => r.roleArns);
    expect(pgTargets.length).toBeGreaterThan(0);
    expect(declared).toEqual(expect.arrayContaining(pgTargets));
  });

  it("is the role of the Vault server pods: their service account's role-arn annotation and the role's IRSA trust", () => {
    expect(podIdentity.annotated).toBe(podIdentity.roleRef);
    expect(podIdentity.subjects).toEqual([podIdentity.serviceAccount]);
  });

  it("lets Vault's IRSA role assume exactly the declared targets and nothing else", () => {
    expect(grantProblems(serverStatements, declared, probes())).toEqual([]);
    expect(assumable(serverStatements, declared).patterns).toEqual(declared);
  });

  it("would fail with a wildcard or an extra ARN in the grant (the proof is not vacuous)", () => {
    const widen = (resources: string[]) => serverStatements.map((s) => (asList(s.Action).includes(ASSUME) ? { ...s, Resource: resources } : s));
    const account = config.aws.accountId;
    expect(grantProblems(widen([`arn:aws:iam::${account}:role/*`]), declared, probes())).toEqual(
      expect.arrayContaining([`grants ${ASSUME} on arn:aws:iam::${account}:role/*, not a declared target`, expect.stringMatching(/^can assume arn:aws:iam::/)]),
    );
    const extra = `arn:aws:iam::${account}:role/${iamRoleNames(env).restoreDrill}`;
    expect(grantProblems(widen([...declared, extra]), declared, probes())).toEqual([`grants ${ASSUME} on ${extra}, not a declared target`, `can assume ${extra}`]);
    expect(grantProblems(widen(declared.slice(1)), declared, probes())).toEqual([`cannot assume the declared target ${declared[0]}`]);
  });

  it("grants sts:TagSession on the same targets when a role passes session tags (AssumeRole with Tags needs it)", () => {
    const tagged = config.vault.aws!.roles.filter((r) => Object.keys(r.sessionTags).length > 0).flatMap((r) => r.roleArns);
    for (const t of tagged) expect(evaluatePolicy(serverStatements, { action: "sts:TagSession", resource: t }).decision).toBe("allow");
    for (const p of probes()) expect(evaluatePolicy(serverStatements, { action: "sts:TagSession", resource: p }).decision).toBe("implicit-deny");
  });

  it("prints a target trust statement that admits Vault's role, and no other principal", () => {
    const vaultRole = vaultServerRoleArn(config);
    expect(vaultRole.endsWith(`:role/${serverRoleName}`)).toBe(true);
    const trust = [targetTrustStatement(vaultRole, config.vault.aws!, env)] as PolicyStatement[];
    for (const target of declared) {
      const as = (id: string) => evaluatePolicy(trust, { action: ASSUME, resource: target, principal: { type: "AWS", id } }).decision;
      expect(as(vaultRole)).toBe("allow");
      const others = [...probes().filter((p) => p !== vaultRole), vaultRole.replace(/::\d{12}:/, "::999999999999:")];
      for (const other of others) expect(as(other)).toBe("implicit-deny");
      expect(evaluatePolicy(trust, { action: ASSUME, resource: target }).decision).toBe("implicit-deny");
    }
  });
});
