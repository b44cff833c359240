/** The `access` command line, spawned as `npm run access` runs it: JSON on stdin, JSON on stdout, exit codes. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../helpers";

function access(args: string[], stdin: string) {
  const r = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", join(ROOT, "access", "cli.ts"), ...args], {
    input: stdin,
    encoding: "utf8",
    cwd: ROOT,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const POLICY = `
path "secret/data/app/*" {
  capabilities = ["read", "update"]
  allowed_parameters = { "colour" = ["blue", "green-*"] }
}
path "secret/data/app/locked" {
  capabilities = ["deny"]
}
path "sys/audit/*" {
  capabilities = ["read", "sudo"]
}
path "sys/wrapped" {
  capabilities = ["read"]
  min_wrapping_ttl = "1m"
  max_wrapping_ttl = "1h"
}
`;

describe("access eval", () => {
  it("answers each request in order", () => {
    const requests = [
      { policies: [POLICY], path: "secret/data/app/db", operation: "read" },
      { policies: [POLICY], path: "secret/data/app/locked", operation: "read" },
      { policies: [POLICY], path: "secret/data/app/db", operation: "update", data: { colour: "green-ish" } },
      { policies: [POLICY], path: "secret/data/app/db", operation: "update", data: { colour: "red" } },
      { policies: [POLICY], path: "sys/audit/file", operation: "read" },
      { policies: [POLICY], path: "sys/audit/file", operation: "delete" },
      { policies: [POLICY], path: "sys/wrapped", operation: "read", wrap_ttl_seconds: 300 },
      { policies: [POLICY], path: "sys/wrapped", operation: "read" },
      { policies: [POLICY], path: "anything", operation: "help" },
      { policies: [], path: "secret/data/app/db", operation: "read" },
    ];
    const r = access(["eval"], JSON.stringify(requests));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { allowed: true, root_privs: false, granting_policies: [0] },
      { allowed: false, root_privs: false, granting_policies: [] },
      { allowed: true, root_privs: false, granting_policies: [0] },
      { allowed: false, root_privs: false, granting_policies: [] },
      { allowed: true, root_privs: true, granting_policies: [0] },
      { allowed: false, root_privs: true, granting_policies: [] },
      { allowed: true, root_privs: false, granting_policies: [0] },
      { allowed: false, root_privs: false, granting_policies: [] },
      { allowed: true, root_privs: false, granting_policies: [] },
      { allowed: false, root_privs: false, granting_policies: [] },
    ]);
  });

  it("merges every policy of one request", () => {
    const extra = `path "secret/data/app/locked" {\n  capabilities = ["read"]\n}\npath "kv/x" {\n  capabilities = ["list"]\n}`;
    const r = access(["eval"], JSON.stringify([
      { policies: [POLICY, extra], path: "secret/data/app/locked", operation: "read" },
      { policies: [POLICY, extra], path: "kv/x/", operation: "list" },
    ]));
    expect(JSON.parse(r.stdout)).toEqual([
      { allowed: false, root_privs: false, granting_policies: [] },
      { allowed: true, root_privs: false, granting_policies: [1] },
    ]);
  });

  it("names every policy of the request that grants the capability, by its index", () => {
    const read = `path "kv/x" {\n  capabilities = ["read"]\n}`;
    const r = access(["eval"], JSON.stringify([{ policies: [read, `path "kv/*" { capabilities = ["read"] }`, read], path: "kv/x", operation: "read" }]));
    expect(JSON.parse(r.stdout)).toEqual([{ allowed: true, root_privs: false, granting_policies: [0, 2] }]);
  });

  it("accepts Vault's grammar that HCL 2 rejects: a name key and object items without commas", () => {
    const policy = `name = "app"\npath "kv/x" { capabilities = ["update"] allowed_parameters = { "a" = [] "b" = ["1"] } }`;
    const r = access(["eval"], JSON.stringify([{ policies: [policy], path: "kv/x", operation: "update", data: { b: "1" } }]));
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([{ allowed: true, root_privs: false, granting_policies: [0] }]);
  });

  it("fails if stdin is not JSON", () => {
    const r = access(["eval"], "not json");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/access eval: stdin is not valid JSON/);
  });

  it("fails if the input is not an array", () => {
    const r = access(["eval"], JSON.stringify({ policies: [] }));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/input must be a JSON array of requests \(got object\)/);
  });

  it("answers every item when some are malformed: an error entry for each, the others decided, exit 3", () => {
    const r = access(["eval"], JSON.stringify([
      { policies: "x", path: 3, operation: "write", wrap_ttl_seconds: -1, colour: 1 },
      { policies: [POLICY], path: "secret/data/app/db", operation: "read" },
      { policies: [POLICY], path: "a", operation: "read", data: [1] },
      7,
    ]));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/access eval: 3 of 4 items answered with an error entry/);
    const [first, second, third, fourth] = JSON.parse(r.stdout);
    expect(first.index).toBe(0);
    expect(first.error).toMatch(/input\[0\]: unknown key "colour"/);
    expect(first.error).toMatch(/input\[0\]\.policies must be an array of policy texts/);
    expect(first.error).toMatch(/input\[0\]\.path must be a string/);
    expect(first.error).toMatch(/input\[0\]\.operation must be one of read, list, create, update, patch, delete, help, recover.*\(got "write"\)/);
    expect(first.error).toMatch(/input\[0\]\.wrap_ttl_seconds must be a number of seconds, 0 or more \(got -1\)/);
    expect(second).toEqual({ allowed: true, root_privs: false, granting_policies: [0] });
    expect(third).toEqual({ index: 2, error: "input[2].data must be an object of request parameters" });
    expect(fourth).toEqual({ index: 3, error: "input[3] must be an object with policies, path and operation" });
  });

  it("answers the other items when a policy is broken, naming the item and policy in its error entry", () => {
    const r = access(["eval"], JSON.stringify([
      { policies: [POLICY, `path "x" {\n  capabilities = ["reed"]\n}`], path: "x", operation: "read" },
      { policies: [`path "x" {`], path: "x", operation: "read" },
      { policies: [POLICY], path: "sys/audit/file", operation: "read" },
      { policies: [`path "x" { capabilities = [for c in ["read"] : c] }`], path: "x", operation: "read" },
      { policies: [`path "x" {`], path: "y", operation: "list" },
    ]));
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual([
      { index: 0, error: 'input[0].policies[1]: failed to parse policy: path "x": invalid capability "reed" (capabilities[0]: expected deny, create, read, update, delete, list, sudo, patch, subscribe or recover)' },
      { index: 1, error: "input[1].policies[0]: failed to parse policy: At 1:12: object expected closing RBRACE got: EOF" },
      { allowed: true, root_privs: true, granting_policies: [0] },
      { index: 3, error: expect.stringMatching(/^input\[3\]\.policies\[0\]: failed to parse policy: At 1:\d+: unexpected token while parsing list: IDENT$/) },
      { index: 4, error: "input[4].policies[0]: failed to parse policy: At 1:12: object expected closing RBRACE got: EOF" },
    ]);
  });

  it("fails if given arguments", () => {
    const r = access(["eval", "extra"], "[]");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/eval takes no arguments/);
  });
});

describe("access dispatch", () => {
  it("fails if the command is unknown, printing usage", () => {
    const r = access(["frobnicate"], "");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
    expect(r.stderr).toMatch(/usage: npm run --silent access -- <command>/);
    expect(r.stderr).toMatch(/^ {2}eval /m);
  });

  it("fails if no command is given, printing usage", () => {
    const r = access([], "");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no command given\nusage:/);
  });
});
