/**
 * What the access diff shows a reviewer (#25 point 7), on a real synth of the committed configs: a changed login
 * binding with its old and new value (a namespace binding moved to another tenant's namespace must be visible), and
 * the grants of Vault's built-in `default` policy folded into one line per role instead of a row per path.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffEnvironment, diffReport, environmentChangeBlocks } from "../../access/diff";
import { defaultPolicy } from "../../access/default-policy";
import { type AccessModel, loadAccessModels } from "../../access/model";
import { toMarkdown } from "../../document/document";
import { configFor } from "../helpers";
import { runSynth } from "../synth-process";

let models: AccessModel[];
beforeAll(async () => {
  const out = join(mkdtempSync(join(tmpdir(), "vault-platform-diff-display-")), "cdktf.out");
  const r = await runSynth({ CDKTF_OUTDIR: out }, { timeoutMs: 120_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  models = await loadAccessModels(out);
}, 150_000);

it("shows a changed namespace binding as old → new", () => {
  const prod = models.find((m) => m.environment === "prod")!;
  const apps = configFor("prod").applications.filter((a) => a.auth.method === "kubernetes");
  const [victim, other] = apps as { auth: { role: string; namespaces: string[] } }[];
  const role = prod.roles.find((r) => r.name === victim.auth.role)!;
  const before = role.bindings.bound_service_account_namespaces;
  const moved = { ...role, bindings: { ...role.bindings, bound_service_account_namespaces: other.auth.namespaces.join(", ") } };
  const head = { ...prod, roles: prod.roles.map((r) => (r === role ? moved : r)) };
  const md = toMarkdown(environmentChangeBlocks(diffEnvironment(prod, head)));
  expect(md).toContain(`| \`${role.key}\` | bound_service_account_namespaces | \`${before}\` → \`${other.auth.namespaces.join(", ")}\` |`);
});

it("folds the default policy's grants of a new role into one line", () => {
  const md = toMarkdown(diffReport([], models, { base: "empty", head: "head" }));
  const prod = md.slice(md.indexOf("### prod"));
  const rows = prod.slice(prod.indexOf("#### Capabilities gained")).split("\n").filter((l) => l.startsWith("| `"));
  const defaultPaths = new Set(defaultPolicy().paths);
  const tenants = new Set(configFor("prod").applications.map((a) => a.auth.role));
  const roles = models.find((m) => m.environment === "prod")!.roles.filter((r) => tenants.has(r.name));
  expect(roles.length).toBeGreaterThan(0);
  // No tenant row is a path only the default policy grants; each tenant receiving it has one folded line instead.
  for (const row of rows.filter((l) => roles.some((r) => l.startsWith(`| \`${r.key}\` |`)))) {
    expect(defaultPaths.has(row.split(" | ")[1].replace(/`/g, ""))).toBe(false);
  }
  for (const r of roles.filter((x) => x.defaultPolicy)) expect(prod).toMatch(new RegExp(`- \`${r.key}\`: \\d+ paths? of Vault's built-in \`default\` policy`));
});
