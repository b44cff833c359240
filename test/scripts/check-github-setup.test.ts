/**
 * `npm run check-github-setup`, run against the stand-in `gh api` (rehearsal/bin/gh) serving GitHub's REST shapes
 * (rehearsal/github-settings.ts): it passes on a GitHub set up as the workflows need and names each weakened setting.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments } from "../../config/load";
import { loadPolicies } from "../../config/policies";
import { RULE_IDS } from "../../compliance/packs";
import { restResponses, type RestResponses } from "../../rehearsal/github-settings";
import { STANDIN_BIN } from "../../rehearsal/scenario";
import { expectedSetup, workflowFiles, type GitHubSetup } from "../../config/github-setup";
import { adminEnvironmentsOf } from "../../scripts/github-setup";
import { ROOT } from "../helpers";
import { runScript, runSynth } from "../synth-process";

const REPOSITORY = "example-platform/vault-platform-fixture";

describe("npm run check-github-setup", () => {
  let dir: string;
  let outdir: string;
  let setup: GitHubSetup;
  let admins: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "github-setup-"));
    outdir = join(dir, "cdktf.out");
    const synth = await runSynth({ CDKTF_OUTDIR: outdir }, { timeoutMs: 120_000 });
    if (synth.status !== 0) throw new Error(synth.stderr);
    const policies = await loadPolicies(join(ROOT, "policies"));
    const configs = loadEnvironments(join(ROOT, "config"), { policyNames: new Set(policies.keys()), ruleIds: RULE_IDS }).map((e) => e.config);
    admins = await adminEnvironmentsOf(outdir);
    setup = expectedSetup(REPOSITORY, workflowFiles(ROOT), configs, admins);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the check against GitHub answering with `settings` (edited from the correct ones by `edit`). */
  async function check(edit: (r: RestResponses) => void = () => {}) {
    const settings = restResponses(REPOSITORY, setup);
    edit(settings);
    const world = mkdtempSync(join(dir, "world-"));
    writeFileSync(join(world, "github-settings.json"), JSON.stringify(settings));
    writeFileSync(join(world, "log.jsonl"), "");
    return runScript("scripts/check-github-setup.ts", [REPOSITORY], { env: { PATH: `${STANDIN_BIN}:${process.env.PATH}`, REHEARSAL_WORLD: world, CDKTF_OUTDIR: outdir }, timeoutMs: 60_000 });
  }
  const env = (name: string) => `repos/${REPOSITORY}/environments/${name}`;
  const groups = (r: RestResponses) => r[`orgs/${REPOSITORY.split("/")[0]}/actions/runner-groups`].runner_groups as Record<string, any>[];  

  it("asks for reviewers on every environment an administrator-equivalent CI role is bound to, and limits none a pull request plans in", () => {
    expect(admins.length).toBeGreaterThan(0);
    for (const a of admins) expect(setup.environments[a]?.reviewers).toBeTruthy();
    const planEnvironments = ["prod-plan"].filter((e) => e in setup.environments);
    expect(planEnvironments).toEqual([]);
    expect(Object.keys(setup.runnerGroups).length).toBeGreaterThan(0);
    for (const workflows of Object.values(setup.runnerGroups)) expect(workflows.filter((w) => /pull-request/.test(w))).toEqual([]);
  });

  it("passes on GitHub set up as the workflows need", async () => {
    const r = await check();
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/matches what the workflows need/);
  });

  it("names an environment without required reviewers, and one whose runs their author may approve", async () => {
    const [admin] = admins;
    const none = await check((r) => (r[env(admin)].protection_rules = r[env(admin)].protection_rules.filter((p: { type: string }) => p.type !== "required_reviewers")));
    expect([none.status, none.stderr]).toEqual([1, expect.stringContaining(`environment ${admin} has no required reviewers`)]);
    const self = await check((r) => (r[env(admin)].protection_rules.find((p: { type: string }) => p.type === "required_reviewers").prevent_self_review = false));
    expect([self.status, self.stderr]).toEqual([1, expect.stringContaining(`environment ${admin} lets the person who triggered a run approve it`)]);
  });

  it("names an environment that deploys from any branch, and one that does not exist", async () => {
    const [name, other] = Object.keys(setup.environments);
    const r = await check((s) => {
      s[env(name)].deployment_branch_policy = null;
      delete s[env(other)];
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`environment ${name} deploys from any branch; it must deploy from main only`);
    expect(r.stderr).toContain(`environment ${other} does not exist`);
  });

  it("names a deploy runner group open to every workflow, or admitting the pull-request workflow", async () => {
    const [name] = Object.keys(setup.runnerGroups);
    const open = await check((r) => (groups(r).find((g) => g.name === name)!.restricted_to_workflows = false));
    expect([open.status, open.stderr]).toEqual([1, expect.stringContaining(`runner group ${name} runs any workflow of the repository`)]);
    const pr = `${REPOSITORY}/.github/workflows/pull-request.yml@main`;
    const extra = await check((r) => groups(r).find((g) => g.name === name)!.selected_workflows.push(pr));
    expect([extra.status, extra.stderr]).toEqual([1, expect.stringContaining(`runner group ${name} also admits ${REPOSITORY}/.github/workflows/pull-request.yml@refs/heads/main`)]);
  });
});
