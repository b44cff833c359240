/**
 * docs/onboarding.md "Asking for AWS credentials", applied as a tenant would: its config blocks merged into the dev
 * config (the application as a Kubernetes workload beside the others), its policy and policy tests added, then the
 * checks synth runs. Every name comes from the doc.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { leastPrivilegeProblems } from "../../access/least-privilege";
import { runPolicyTests } from "../../access/policy-tests";
import { evaluatePolicy } from "../../compliance/iam-policy-evaluator";
import { readPolicy } from "../../compliance/packs/aws/policy-documents";
import { validateEnvironment } from "../../config/load";
import { parsePolicy, policiesFor } from "../../config/policies";
import { StackView } from "../../synthesized/stack-view";
import { addEnvironment } from "../../stacks/environment";
import { iamRoleNames } from "../../stacks/vault-backup-stack";
import { defaultPolicies, rawConfig, ROOT, synthJson } from "../helpers";

const doc = readFileSync(join(ROOT, "docs", "onboarding.md"), "utf8");
const start = doc.indexOf("\n## Asking for AWS credentials");
const section = doc.slice(start, doc.indexOf("\n## ", start + 1));
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));

describe("docs/onboarding.md: asking for AWS credentials", () => {
  const [configText, testsText] = blocks.filter((b) => b.lang === "yaml").map((b) => b.body);
  const configBlock = parse(configText!);
  const hcl = blocks.find((b) => b.lang === "hcl")!.body;
  const role = configBlock.vault.aws.roles[0];
  const app = configBlock.applications[0];
  const policyName = `${app.name}-app`;

  /** The dev config with the doc's role and application (a Kubernetes workload like voicehive's, own names). */
  function edited() {
    const raw: any = rawConfig("dev");
    raw.vault.aws.roles.push(role);
    // A tree where the doc's tenant is already onboarded (docs/onboarding.md's worked example): it asks on its entry.
    const onboarded = raw.applications.find((a: any) => a.name === app.name);
    if (onboarded) {
      onboarded.awsRoles = [...(onboarded.awsRoles ?? []), ...app.awsRoles];
      return validateEnvironment(raw);
    }
    const like = raw.applications.find((a: any) => a.name === "voicehive");
    raw.applications.push({
      ...like,
      name: app.name,
      auth: { ...like.auth, role: policyName, serviceAccounts: [app.name] },
      policies: [policyName],
      kvMounts: [],
      transitKeys: [],
      ownedPaths: [],
      awsRoles: app.awsRoles,
    });
    return validateEnvironment(raw);
  }

  it("has the section's blocks: the config, the policy line, the policy tests", () => {
    expect([blocks.map((b) => b.lang), app.awsRoles, role.credentialType]).toEqual([["yaml", "hcl", "yaml", "sh"], [role.name], "assumed_role"]);
  });

  it("validates, passes least privilege and its own policy tests, and grants Vault's role exactly the new target", async () => {
    const { config, problems } = edited();
    expect(problems).toEqual([]);
    const policies = new Map(await defaultPolicies());
    policies.set(policyName, await parsePolicy(policyName, `policies/${policyName}.hcl`, hcl));
    expect(leastPrivilegeProblems({ file: "config/dev.yaml", config: config! }, policies)).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "aws-onboarding-"));
    writeFileSync(join(dir, `${policyName}.yaml`), testsText!);
    expect(runPolicyTests(policiesFor(policies, config!), dir)).toEqual([]);

    const { backup } = addEnvironment(Testing.app(), config!, policies);
    const view = new StackView(backup.node.id, synthJson(backup));
    const server = view.of("aws_iam_role").find((r) => r.attributes.name === iamRoleNames("dev").server)!;
    const policy = view.of("aws_iam_role_policy").find((p) => String(p.attributes.role).includes(`aws_iam_role.${server.name}.`))!;
    const read = readPolicy(policy.attributes.policy, view);
    if (!read.ok) throw new Error(read.error);
    for (const arn of role.roleArns) expect(evaluatePolicy(read.statements, { action: "sts:AssumeRole", resource: arn }).decision).toBe("allow");
  });

  it("is refused when the tenant asks for iam_user instead", () => {
    role.credentialType = "iam_user";
    try {
      expect(edited().problems).toEqual([expect.stringMatching(/vault\.aws\.roles\[1\]\.credentialType: must be assumed_role/)]);
    } finally {
      role.credentialType = "assumed_role";
    }
  });
});
