import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STATEFUL_TYPES } from "../../config/stateful";
import { allowedFor, changedAttributes, gate, kindOf, summarisePlan, validatePlan } from "../../scripts/plan-summary";
import { ROOT } from "../helpers";

const FIXTURES = join(__dirname, "../fixtures/plans");
const GATE = join(FIXTURES, "gate");
const plan = (name: string) => validatePlan(JSON.parse(readFileSync(join(FIXTURES, name), "utf8")), name);
const run = (...args: string[]) =>
  spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "scripts/plan-summary.ts", ...args], { cwd: ROOT, encoding: "utf8" });
// An empty directory stands for a synth output without deliberate destructions.
const NO_SYNTH = ["--synth-dir", GATE];

describe("plan summary", () => {
  it("counts creates, updates, replaces and destroys, ignoring no-ops and data reads", () => {
    const md = summarisePlan("vault-config-prod", plan("vault-config-prod.json"));
    expect(md).toContain("### vault-config-prod");
    expect(md).toContain("1 to create, 1 to update, 1 to replace, 1 to destroy.");
    expect(md).not.toContain("vault_mount.secret");
    expect(md).not.toContain("data.vault_policy_document.x");
  });

  it("lists destructive changes first, and says why a resource is replaced", () => {
    const md = summarisePlan("vault-config-prod", plan("vault-config-prod.json"));
    expect(md).toContain("**Destructive:** 2 resource(s) will be destroyed or replaced.");
    expect(md).toContain("| replace (replace because cannot update) | `vault_database_secret_backend_connection.phoenix-guardian-db` | backend, id, postgresql |");
    const rows = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| action") && !l.startsWith("| ---"));
    expect(rows.map((r) => r.split(" | ")[0])).toEqual(["| delete", "| replace (replace because cannot update)", "| create", "| update"]);
    expect(md.indexOf("- **replace**")).toBeLessThan(md.indexOf("| action |"));
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

  it("treats both replacement orders as replace and anything undocumented as unknown", () => {
    expect(kindOf(["delete", "create"])).toBe("replace");
    expect(kindOf(["create", "delete"])).toBe("replace");
    expect(kindOf(["update"])).toBe("update");
    expect(kindOf(["forget"])).toBe("forget");
    expect(kindOf(["archive"])).toBe("unknown");
    expect(kindOf(["delete", "update"])).toBe("unknown");
    expect(kindOf([])).toBe("unknown");
    expect(kindOf(undefined)).toBe("unknown");
  });

  it("counts an attribute that becomes unknown as changed", () => {
    expect(changedAttributes({ actions: ["update"], before: { a: 1, b: 2 }, after: { a: 1 }, after_unknown: { b: true } })).toEqual(["b"]);
  });

  it("fails if the input is not a JSON plan", () => {
    expect(() => validatePlan({ resource_changes: [] }, "x.json")).toThrow(/x\.json: not a Terraform JSON plan/);
    expect(() => validatePlan({ format_version: "2.0" }, "x.json")).toThrow(/unsupported plan format_version 2\.0/);
    expect(() => validatePlan({ format_version: "1.2", resource_changes: {} }, "x.json")).toThrow(/resource_changes must be a list/);
  });
});

describe("plan gate", () => {
  const stateful = (name: string) =>
    plan(`gate/${name}`).resource_changes!.filter((rc) => rc.type in STATEFUL_TYPES && ["delete", "replace"].includes(kindOf(rc.change.actions)));

  it("passes an ordinary plan: creates, in-place updates (a remount), a non-stateful replace, no-ops, reads", () => {
    const result = gate(plan("gate/ordinary.json"));
    expect(result.blocked).toEqual([]);
    expect(result.destructive.map((d) => d.address)).toEqual(["vault_kv_secret_backend_v2.kv_secret"]);
    const cli = run(...NO_SYNTH, `vault-config-prod=${join(GATE, "ordinary.json")}`);
    expect(cli.status).toBe(0);
    expect(cli.stderr).toBe("");
    expect(cli.stdout).not.toContain("BLOCKED");
  });

  it.each(["delete-stateful.json", "replace-delete-create.json", "replace-create-delete.json"])(
    "fails closed on %s, naming every stateful address it would destroy",
    (fixture) => {
      const targets = stateful(fixture);
      expect(targets.length).toBeGreaterThan(0);
      const result = gate(plan(`gate/${fixture}`));
      expect(result.blocked).toHaveLength(targets.length);
      targets.forEach((t, i) => {
        expect(result.blocked[i]).toContain(`\`${t.address}\``);
        expect(result.blocked[i]).toContain(STATEFUL_TYPES[t.type]!.loses);
      });
      const cli = run(...NO_SYNTH, `vault-stack-prod=${join(GATE, fixture)}`);
      expect(cli.status).toBe(1);
      for (const t of targets) {
        expect(cli.stderr).toContain(t.address);
        expect(cli.stdout).toContain(`- **BLOCKED** \`vault-stack-prod\`: \`${t.address}\``);
      }
    },
  );

  it("does not block a non-stateful delete in the same plan, but lists it as destructive", () => {
    const result = gate(plan("gate/delete-stateful.json"));
    expect(result.destructive.find((d) => d.address === "vault_audit.socket")).toEqual({ kind: "delete", address: "vault_audit.socket", note: "" });
    expect(result.blocked.join("\n")).not.toContain("vault_audit.socket");
  });

  it("fails closed on an errored plan even when every change is harmless", () => {
    const p = plan("gate/errored.json");
    expect(p.errored).toBe(true);
    expect(gate(p).blocked).toEqual([expect.stringContaining("the plan errored (errored: true)")]);
    expect(gate({ ...p, errored: false }).blocked).toEqual([]);
    const cli = run(...NO_SYNTH, `vault-config-prod=${join(GATE, "errored.json")}`);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain("vault-config-prod: the plan errored");
  });

  it("fails closed on an action it does not know, naming the address", () => {
    const result = gate(plan("gate/unknown-action.json"));
    expect(result.blocked).toEqual(['`aws_kms_key.backup`: unknown action ["archive"]; the gate refuses what it cannot classify']);
    expect(run(...NO_SYNTH, `vault-backup-prod=${join(GATE, "unknown-action.json")}`).status).toBe(1);
  });

  // Terraform writes errored, complete and applyable as JSON booleans (internal/command/jsonplan/plan.go, `plan`
  // struct); anything the gate cannot read as Terraform wrote it is refused, never read leniently.
  it.each([
    ["errored-string.json", 2, /errored must be true or false \(got "true"\)/],
    ["errored-number.json", 2, /errored must be true or false \(got 1\)/],
    ["errored-duplicate-key.json", 2, /duplicate key "errored" at line 5/],
    ["incomplete.json", 1, /the plan is incomplete \(complete: false\)/],
    ["deferred-stateful-delete.json", 1, /deferred: `aws_s3_bucket\.snapshots` would be destroyed/],
    ["data-mode-stateful-delete.json", 1, /`aws_s3_bucket\.snapshots`: a data source cannot delete \["delete"\]/],
    ["unknown-mode.json", 1, /`aws_s3_bucket\.snapshots`: unknown mode "ephemeral"/],
  ])("fails closed on %s (exit %d)", (fixture, status, message) => {
    const cli = run(...NO_SYNTH, `vault-backup-prod=${join(GATE, fixture)}`);
    expect(cli.stderr).toMatch(message);
    expect(cli.status).toBe(status);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a plan nested 100,000 deep with a line number, without exhausting the stack", () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-deep-"));
    const file = join(dir, "deep.json");
    writeFileSync(file, `{"format_version": "1.2", "errored": false, "x": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    const cli = run(...NO_SYNTH, `vault-backup-prod=${file}`);
    expect(cli.stderr).toBe(`plan-summary: ${file}: nesting deeper than 256 levels at line 1\n`);
    expect(cli.status).toBe(2);
  });

  it("lets a destruction through only when the environment allows that address, and shows the reason", () => {
    const synth = join(GATE, "synth-with-destruction");
    const allowed = allowedFor("vault-config-prod", synth);
    expect([...allowed.keys()]).toEqual(["vault_mount.kv_legacy"]);
    expect(allowedFor("vault-config-dev", synth).size).toBe(0);
    const result = gate(plan("gate/delete-stateful.json"), allowed);
    expect(result.blocked).toEqual([]);
    const cli = run("--synth-dir", synth, `vault-config-prod=${join(GATE, "delete-stateful.json")}`);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain("- **delete** `vault-config-prod` `vault_mount.kv_legacy` (stateful, allowed by compliance.destructions: legacy KV mount emptied");
    // The same allowance does not cover another stateful address.
    expect(run("--synth-dir", synth, `vault-config-prod=${join(GATE, "replace-delete-create.json")}`).status).toBe(1);
  });

  it("runs as a command over several stacks and fails when any one is blocked", () => {
    const ok = run(...NO_SYNTH, `vault-backup-prod=${join(FIXTURES, "vault-backup-prod.json")}`, `vault-config-prod=${join(GATE, "ordinary.json")}`);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^## Terraform plans\n\n### vault-backup-prod\n\nNo changes\.\n\n### vault-config-prod/);
    const blocked = run(...NO_SYNTH, `vault-backup-prod=${join(FIXTURES, "vault-backup-prod.json")}`, `vault-config-prod=${join(FIXTURES, "vault-config-prod.json")}`);
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain("vault-config-prod: `vault_database_secret_backend_connection.phoenix-guardian-db` would be replaced");
  });

  it("exits 2 with a clear message on a bad argument", () => {
    const bad = run("no-equals-sign");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("expected <stack>=<plan.json>, got no-equals-sign");
    expect(run("--synth-dir").status).toBe(2);
  });
});
