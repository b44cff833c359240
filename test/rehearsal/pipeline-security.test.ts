/**
 * Nobody reaches production through a pull request (docs/security.md): the pull-request workflow, run job by job,
 * hands no secret to any job, uploads no artifact that holds one, logs in to Vault only as the read-only plan role,
 * and gives a fork nothing; Vault's JWT roles, as applied, refuse every pull-request token for terraform-ci.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { glob, loginRefusal } from "../../rehearsal/jwt-claims";
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import type { RunResult } from "../../rehearsal/workflow/model";
import { readLog } from "../../rehearsal/world";
import { configFor } from "../helpers";
import { deployRun, oneLineEdit, pullRequestRun } from "./pipeline-runs";

/** Every file of every artifact of a run, with its text. */
function artifactFiles(s: Scenario, run: RunResult): [string, string][] {
  const dir = join(s.world.dir, "runs", String(run.id), "artifacts");
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => [join(d.parentPath, d.name).slice(dir.length + 1), readFileSync(join(d.parentPath, d.name), "latin1")]);
}

const secretValues = (s: Scenario) => [...Object.values(s.world.secrets.repository), ...Object.values(s.world.secrets.environments).flatMap((e) => Object.values(e))];

describe("pull requests and production secrets", () => {
  let s: Scenario;
  let pr: RunResult;
  let fork: RunResult;
  let asCi: RunResult;
  let asProd: RunResult;
  let onApplyRunner: RunResult;
  let deploy: RunResult;
  const { deployRunner, planRunner } = configFor("prod").cluster;
  beforeAll(() => {
    s = createScenario();
    fork = pullRequestRun(s, undefined, true);
    // A pull request that rewrites its own plan job to ask Vault for the apply role.
    asCi = pullRequestRun(s, oneLineEdit(s, "pull-request.yml", "          role: terraform-plan\n", "          role: terraform-ci\n"));
    // A pull request that moves its plan job into the apply environment, to get its secrets and its Vault role.
    asProd = pullRequestRun(s, oneLineEdit(s, "pull-request.yml", "    environment: prod-plan\n", "    environment: prod\n"));
    // A pull request that moves its vault-config plan onto the scale set that applies.
    onApplyRunner = pullRequestRun(s, oneLineEdit(s, "pull-request.yml", `runner: ${planRunner.runsOn} }`, `runner: ${deployRunner.runsOn} }`));
    // The latest successful run of the head is the one the deploy applies: this one.
    pr = pullRequestRun(s);
    deploy = deployRun(s);
  }, 300_000);
  afterAll(() => removeScenario(s));

  it("gives no pull-request job a secret (the plan environment holds none)", () => {
    expect(pr.firstFailure ?? "").toBe("");
    expect(pr.jobs.filter((j) => j.secretsReceived.length > 0).map((j) => [j.name, j.secretsReceived])).toEqual([]);
  });

  it("uploads no artifact that holds a secret value, from the pull request or the deploy", () => {
    const values = secretValues(s);
    expect(values.length).toBeGreaterThan(0);
    const leaks = [pr, deploy].flatMap((run) => artifactFiles(s, run).filter(([, text]) => values.some((v) => text.includes(v))).map(([f]) => `run ${run.id}: ${f}`));
    expect(leaks).toEqual([]);
    expect(deploy.firstFailure ?? "").toBe("");
  });

  it("logs in to Vault from a pull request only as terraform-plan, whose applied role accepts the pull request's token", () => {
    const logins = readLog(s.world.dir).filter((e) => e.tool === "vault-login" && e.run === String(pr.id));
    expect(logins.map((l) => [l.role, l.refused])).toEqual([["terraform-plan", null]]);
  });

  it("refuses a pull request that rewrites its job to log in as terraform-ci, naming the claim", () => {
    expect(asCi.conclusion).toBe("failure");
    expect(asCi.firstFailure).toMatch(/^plan \(vault-config-prod, .*\) › Vault token .*: failed to retrieve vault token\. code: 400, message: error validating claims: claim "\w+" does not match any associated bound claim values/s);
  });

  it("refuses a pull request that moves its job into the prod environment before any step (deployment branch main)", () => {
    const job = asProd.jobs.find((j) => j.id === "plan" && j.result === "failure")!;
    expect([job.steps[0].output, job.secretsReceived]).toEqual(['Branch "refs/pull/7/merge" is not allowed to deploy to prod due to environment protection rules.', []]);
  });

  it("plans vault-config on the plan runner scale set, never on the one that applies", () => {
    const plans = pr.jobs.filter((j) => j.id === "plan" && j.zone === "cluster");
    expect(plans.map((j) => [j.runsOn, j.result])).toEqual([[planRunner.runsOn, "success"]]);
  });

  it("gives a pull request that moves its plan onto the apply runner no runner (runner group: main-branch workflows only)", () => {
    const job = onApplyRunner.jobs.find((j) => j.id === "plan" && j.runsOn === deployRunner.runsOn)!;
    expect([job.result, job.secretsReceived, job.steps.length]).toEqual(["failure", [], 1]);
    expect(job.steps[0].output).toMatch(new RegExp(`runner group of ${deployRunner.runsOn} .*does not allow .*pull-request\\.yml@refs/pull/7/merge`));
  });

  it("gives a fork's pull request no secret, no OIDC token and no plan or comment job", () => {
    expect(fork.firstFailure ?? "").toBe("");
    expect(fork.jobs.flatMap((j) => j.secretsReceived)).toEqual([]);
    expect(fork.jobs.filter((j) => j.result !== "skipped").map((j) => j.id).sort()).toEqual(["analyse", "test"]);
  });
});

describe("JWT login decisions (vault-plugin-auth-jwt claims.go)", () => {
  const role = { role_name: "r", bound_audiences: ["a"], bound_claims: { workflow_ref: "o/r/.github/workflows/pull-request.yml@refs/pull/*/merge,o/r/.github/workflows/drift.yml@refs/heads/main", event_name: "pull_request,schedule" }, bound_claims_type: "glob" };
  it.each([
    [{ aud: "a", workflow_ref: "o/r/.github/workflows/pull-request.yml@refs/pull/7/merge", event_name: "pull_request" }, undefined],
    [{ aud: "a", workflow_ref: "o/r/.github/workflows/deploy.yml@refs/heads/main", event_name: "push" }, 'error validating claims: claim "workflow_ref" does not match any associated bound claim values'],
    [{ aud: "b", workflow_ref: "x", event_name: "push" }, "error validating claims: aud claim does not match any bound audience"],
    [{ aud: "a", event_name: "schedule" }, 'error validating claims: claim "workflow_ref" is missing'],
  ])("%j", (claims, refusal) => {
    expect(loginRefusal(role, claims)).toBe(refusal);
  });

  it("matches `*` as any run of characters and nothing else as special", () => {
    expect([glob("a*c", "abbbc"), glob("a*c", "ab"), glob("a.c", "abc"), glob("*", ""), glob("refs/pull/*/merge", "refs/pull/7/merge")]).toEqual([true, false, false, true, true]);
  });
});
