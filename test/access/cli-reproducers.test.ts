/**
 * `npm run access -- eval` gives Vault 2.0.4's answer on every reproducer of issue #26 (one batch through the CLI
 * entry): policies Vault rejects are error entries with Vault's message, the others are decided as Vault reads
 * and decides them. The same reproducers are unit-tested in test/access/acl/vault-parser-classes.test.ts and
 * vault-decisions.test.ts; `who` on synthesized output is in test/access/access-commands.test.ts.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../helpers";

const block = (body: string, path = "secret/x") => `path "${path}" {\n${body}\n}\n`;

/** [request, expected answer]: `true`/`false` for allowed, a RegExp for an error entry's message. */
const CASES: [Record<string, unknown>, boolean | RegExp][] = [
  // Rejected by Vault.
  [{ policies: [block('  capabilities = ["read"]\n  capabilities = ["update"]')], path: "secret/x", operation: "read" }, /The argument "capabilities" at 3:3 was already set/],
  [{ policies: ['path = {\n  "secret/*" = { capabilities = ["read"] }\n}\n'], path: "secret/x", operation: "read" }, /path "path": invalid key "secret\/\*" on line 2/],
  [{ policies: [block('  capabilities = ["read"]', "secret/{{identity.entity.id")], path: "secret/x", operation: "read" }, /unbalanced templating characters/],
  [{ policies: [`name = 1.5\n${block('  capabilities = ["read"]')}`], path: "secret/x", operation: "read" }, /root\.name: unknown type for string/],
  [{ policies: [block('  capabilities = ["read"]\n  max_wrapping_ttl = "3000000h"')], path: "secret/x", operation: "read" }, /time: invalid duration "3000000h"/],
  [{ policies: [block('  capabilities = ["read"]\n  control_group = {}')], path: "secret/x", operation: "read" }, /no control group factors provided/],
  [{ policies: [block('  capabilities = ["read"]\n  mfa_methods = "totp"')], path: "secret/x", operation: "read" }, /unknown slice type/],
  [{ policies: [block('  capabilities = ["read"]\n  subscribe_event_types = [true]')], path: "secret/x", operation: "read" }, /subscribe_event_types\[0\]: unknown type for string/],
  // Accepted by Vault, read as Vault reads them.
  [{ policies: ['path "a" "b" {\n  capabilities = ["read"]\n}\n'], path: "a", operation: "read" }, true],
  [{ policies: ['path {\n  capabilities = ["read"]\n}\n'], path: "path", operation: "read" }, true],
  [{ policies: [block('  capabilities = ["update"]\n  required_parameters = [1]')], path: "secret/x", operation: "update", data: { 1: "x" } }, true],
  [{ policies: [block('  capabilities = ["update"]\n  required_parameters = [1]')], path: "secret/x", operation: "update", data: { a: "x" } }, false],
  [{ policies: [block('  capabilities = ["read"]\n  max_wrapping_ttl = 4294967296')], path: "secret/x", operation: "read", wrap_ttl_seconds: 3000000000 }, true],
  [{ policies: [block('  capabilities = ["update"]\n  denied_parameters = { owner = ["root"] }\n  "denied_parameters" = { owner = ["x"] }')], path: "secret/x", operation: "update", data: { owner: "root" } }, false],
  [{ policies: [block('  capabilities = ["update"]\n  denied_parameters = { "__proto__" = [] }', "__proto__")], path: "__proto__", operation: "update", data: JSON.parse('{"__proto__": "x"}') }, false],
  [{ policies: [block('  capabilities = ["read"]\n  max_wrapping_ttl = 1.5')], path: "secret/x", operation: "read", wrap_ttl_seconds: 1.2 }, false],
  // Decided as Vault 2.0.4 decides.
  [{ policies: ['path "secret/metadata/*" { capabilities = ["list"] }', 'path "secret/metadata/private/*" { capabilities = ["deny"] }'], path: "secret/metadata/private/", operation: "list" }, false],
  [{ policies: [block('  capabilities = ["update"]\n  denied_parameters = { policies = ["root"] }', "auth/token/create")], path: "auth/token/create", operation: "update", data: { policies: "ROOT" } }, false],
  [{ policies: ['path "kv/{{identity.entity.id}}/*" { capabilities = ["read"] }'], path: "kv/{{identity.entity.id}}/x", operation: "read" }, false],
  [{ policies: ['path "kv/{{identity.entity.id}}/*" { capabilities = ["read"] }'], path: "kv/e-1/x", operation: "read", entity: { id: "e-1" } }, true],
  [{ policies: [block('  capabilities = ["update"]\n  allowed_parameters = { n = [1] }')], path: "secret/x", operation: "update", data: { n: 1 } }, false],
];

describe("access eval on the reproducers of issue #26", () => {
  it("answers each as Vault 2.0.4 does", () => {
    const r = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", join(ROOT, "access", "cli.ts"), "eval"], {
      input: JSON.stringify(CASES.map(([request]) => request)),
      encoding: "utf8",
      cwd: ROOT,
    });
    expect(r.stderr).toMatch(/8 of 21 items answered with an error entry/);
    expect(r.status).toBe(3);
    const answers = JSON.parse(r.stdout) as ({ allowed: boolean } | { index: number; error: string })[];
    const got = answers.map((a) => ("error" in a ? a.error : a.allowed) as string | boolean | RegExp);
    const want = CASES.map(([, expected], i) => (expected instanceof RegExp ? new RegExp(`^input\\[${i}\\]\\.policies\\[0\\]: failed to parse policy: .*${expected.source}`) : expected));
    // Each error entry is replaced by the pattern it matches, so one comparison shows every mismatch.
    expect(got.map((g, i) => (typeof g === "string" && want[i] instanceof RegExp && (want[i] as RegExp).test(g) ? want[i] : g))).toEqual(want);
  });

  it("fails on a malformed entity", () => {
    const r = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", join(ROOT, "access", "cli.ts"), "eval"], {
      input: JSON.stringify([{ policies: [], path: "a", operation: "read", entity: { id: 1 } }]),
      encoding: "utf8",
      cwd: ROOT,
    });
    expect(JSON.parse(r.stdout)).toEqual([{ index: 0, error: expect.stringMatching(/input\[0\]\.entity must be \{ id\?, name\?/) }]);
  });
});
