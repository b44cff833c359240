/**
 * `npm run check-github-setup -- <owner/repo>`, after `npm run synth`: asks GitHub (through `gh api`, logged in as a
 * person who can read the repository's environments and the organization's runner groups) whether it is set up as
 * the workflows need (config/github-setup.ts, scripts/github-setup.ts), and names every difference. Exit 1 on any.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../config/load";
import { loadPolicies } from "../config/policies";
import { RULE_IDS } from "../compliance/packs";
import { expectedSetup, workflowFiles } from "../config/github-setup";
import { adminEnvironmentsOf, ghApi, setupProblems } from "./github-setup";

async function main(): Promise<number> {
  const repository = process.argv[2];
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    process.stderr.write(`usage: npm run check-github-setup -- <owner/repo> (got ${repository === undefined ? "nothing" : JSON.stringify(repository)})\n`);
    return 2;
  }
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  if (!existsSync(join(outdir, "manifest.json"))) {
    process.stderr.write(`${join(outdir, "manifest.json")} not found: run \`npm run synth\` first (the check reads the synthesized Vault roles)\n`);
    return 2;
  }
  const policies = await loadPolicies("policies");
  const configs = loadEnvironments("config", { policyNames: new Set(policies.keys()), ruleIds: RULE_IDS }).map((e) => e.config);
  const setup = expectedSetup(repository, workflowFiles("."), configs, await adminEnvironmentsOf(outdir));
  const problems = setupProblems(repository, setup, ghApi);
  const checked = `${Object.keys(setup.environments).length} environments, ${Object.keys(setup.runnerGroups).length} runner groups`;
  if (problems.length === 0) {
    process.stdout.write(`GitHub setup of ${repository} matches what the workflows need (${checked})\n`);
    return 0;
  }
  process.stderr.write(`GitHub setup of ${repository}: ${problems.length} problem(s) (${checked}):\n${problems.map((p) => `- ${p}\n`).join("")}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`check-github-setup: ${e.message}\n`);
    process.exit(1);
  },
);
