import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { changedAttributes, kindOf, summarisePlan, validatePlan } from "../../scripts/plan-summary";
import { ROOT } from "../helpers";

const FIXTURES = join(__dirname, "../fixtures/plans");
const plan = (name: string) => validatePlan(JSON.parse(readFileSync(join(FIXTURES, name), "utf8")), name);

describe("plan summary", () => {
  it("counts creates, updates, replaces and destroys, ignoring no-ops and data reads", () => {
    const md = summarisePlan("vault-config-prod", plan("vault-config-prod.json"));
    expect(md).toContain("### vault-config-prod");
    expect(md).toContain("1 to create, 1 to update, 1 to replace, 1 to destroy.");
    expect(md).not.toContain("vault_mount.secret");
    expect(md).not.toContain("data.vault_policy_document.x");
  });

  it("flags destructive changes and says why a resource is replaced", () => {
    const md = summarisePlan("vault-config-prod", plan("vault-config-prod.json"));
    expect(md).toContain("**Destructive:** 2 resource(s) will be destroyed or replaced.");
    expect(md).toContain("| replace (replace because cannot update) | `vault_database_secret_backend_connection.phoenix-guardian-db` | backend, id, postgresql |");
  });

  it("lists changed attribute names and never their values", () => {
    const md = summarisePlan("vault-config-prod", plan("vault-config-prod.json"));
    expect(md).toContain("| update | `vault_policy.checktick-app` | policy |");
    expect(md).not.toContain("s3cr3t-Do-Not-Print");
    expect(md).not.toContain("capabilities");
    expect(md).toContain("Outputs changing: `ca_bundle`.");
  });

  it("says when a stack has no changes", () => {
    expect(summarisePlan("vault-backup-prod", plan("vault-backup-prod.json"))).toBe("### vault-backup-prod\n\nNo changes.");
  });

  it("treats both replacement orders as replace", () => {
    expect(kindOf(["delete", "create"])).toBe("replace");
    expect(kindOf(["create", "delete"])).toBe("replace");
    expect(kindOf(["update"])).toBe("update");
  });

  it("counts an attribute that becomes unknown as changed", () => {
    expect(changedAttributes({ actions: ["update"], before: { a: 1, b: 2 }, after: { a: 1 }, after_unknown: { b: true } })).toEqual(["b"]);
  });

  it("fails if the input is not a JSON plan", () => {
    expect(() => validatePlan({ resource_changes: [] }, "x.json")).toThrow(/x\.json: not a Terraform JSON plan/);
    expect(() => validatePlan({ format_version: "2.0" }, "x.json")).toThrow(/unsupported plan format_version 2\.0/);
  });

  it("runs as a command over several stacks", () => {
    const run = spawnSync(
      process.execPath,
      ["--require", "./scripts/register-ts.js", "scripts/plan-summary.ts", `vault-backup-prod=${join(FIXTURES, "vault-backup-prod.json")}`, `vault-config-prod=${join(FIXTURES, "vault-config-prod.json")}`],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^## Terraform plans\n\n### vault-backup-prod\n\nNo changes\.\n\n### vault-config-prod/);
  });

  it("exits 2 with a clear message on a bad argument", () => {
    const run = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "scripts/plan-summary.ts", "no-equals-sign"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("expected <stack>=<plan.json>, got no-equals-sign");
  });
});
