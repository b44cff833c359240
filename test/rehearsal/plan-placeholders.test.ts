/**
 * Plans carry no write secret (docs/security.md): once a database connection has its CA, vault-config declares the
 * connection's root password as an ephemeral, write-only variable. A pull request's plan gets no secret, so it plans
 * with a placeholder (scripts/plan-placeholders.sh) that the plan never sends; without it the plan cannot run at all.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { createScenario, removeScenario, Scenario } from "../../rehearsal/scenario";
import type { RunResult } from "../../rehearsal/workflow/model";
import { PROVIDED_DATABASE_CA } from "../helpers";
import { oneLineEdit, pullRequestRun } from "./pipeline-runs";

/** The pull request's change: prod's pending database connections get the CA the database team provided. */
function provideProdCa(repoDir: string): void {
  const file = join(repoDir, "config", "prod.yaml");
  const doc = parseDocument(readFileSync(file, "utf8"));
  const connections = doc.getIn(["vault", "database", "connections"]) as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] };
  for (const c of connections.items) if (c.get("tlsCa") === "pending") c.set("tlsCa", PROVIDED_DATABASE_CA);
  writeFileSync(file, doc.toString());
}

describe("pull-request plans of a stack with an ephemeral database password", () => {
  let s: Scenario;
  let pr: RunResult;
  let withoutPlaceholders: RunResult;
  beforeAll(() => {
    s = createScenario({ change: provideProdCa });
    pr = pullRequestRun(s);
    withoutPlaceholders = pullRequestRun(s, oneLineEdit(s, "pull-request.yml", '          source "$GITHUB_WORKSPACE/scripts/plan-placeholders.sh" cdk.tf.json\n', ""));
  }, 300_000);
  afterAll(() => removeScenario(s));

  it("plans vault-config, with no secret, when the connection's password is declared", () => {
    const plan = pr.jobs.find((j) => j.id === "plan" && j.zone === "cluster")!;
    expect([plan.result, plan.secretsReceived, pr.firstFailure ?? ""]).toEqual(["success", [], ""]);
  });

  it("fails without the placeholders, naming the password variable the plan has no value for", () => {
    expect(withoutPlaceholders.conclusion).toBe("failure");
    expect(withoutPlaceholders.firstFailure).toMatch(/^plan \(vault-config-prod, .*No value for required variable.*database_root_password_/s);
  });
});
