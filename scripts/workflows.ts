/** `npm run workflows`: writes the workflows generated from config/*.yaml (secret-ID rotation, drift detection). */
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../config/load";
import { RULE_IDS } from "../compliance/packs";
import { DRIFT_WORKFLOW, driftWorkflow } from "./drift-workflow";
import { rotationWorkflows, WORKFLOW_DIR } from "./secret-id-workflows";

const policyNames = new Set(readdirSync("policies").filter((f) => f.endsWith(".hcl")).map((f) => f.slice(0, -4)));
const configs = loadEnvironments("config", { policyNames, ruleIds: RULE_IDS }).map((e) => e.config);
const files = rotationWorkflows(configs);
files.set(DRIFT_WORKFLOW, driftWorkflow(configs));
for (const f of readdirSync(WORKFLOW_DIR).filter((f) => /^rotate-.+-secret-id\.yml$/.test(f) && !files.has(f))) rmSync(join(WORKFLOW_DIR, f));
for (const [name, text] of files) writeFileSync(join(WORKFLOW_DIR, name), text);
process.stdout.write(`${[...files.keys()].map((f) => join(WORKFLOW_DIR, f)).join("\n")}\n`);
