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
      { allowed: true, root_privs: false },
      { allowed: false, root_privs: false },
      { allowed: true, root_privs: false },
      { allowed: false, root_privs: false },
      { allowed: true, root_privs: true },
      { allowed: false, root_privs: true },
      { allowed: true, root_privs: false },
      { allowed: false, root_privs: false },
      { allowed: true, root_privs: false },
      { allowed: false, root_privs: false },
    ]);
  });

  it("merges every policy of one request", () => {
    const extra = `path "secret/data/app/locked" {\n  capabilities = ["read"]\n}\npath "kv/x" {\n  capabilities = ["list"]\n}`;
    const r = access(["eval"], JSON.stringify([
      { policies: [POLICY, extra], path: "secret/data/app/locked", operation: "read" },
      { policies: [POLICY, extra], path: "kv/x/", operation: "list" },
    ]));
    expect(JSON.parse(r.stdout)).toEqual([
      { allowed: false, root_privs: false },
      { allowed: true, root_privs: false },
    ]);
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

  it("fails if requests are malformed, listing every problem", () => {
    const r = access(["eval"], JSON.stringify([
      { policies: "x", path: 3, operation: "write", wrap_ttl_seconds: -1, colour: 1 },
      { policies: [POLICY], path: "a", operation: "read", data: [1] },
    ]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/input\[0\]: unknown key "colour"/);
    expect(r.stderr).toMatch(/input\[0\]\.policies must be an array of policy texts/);
    expect(r.stderr).toMatch(/input\[0\]\.path must be a string/);
    expect(r.stderr).toMatch(/input\[0\]\.operation must be one of read, list, create, update, patch, delete, help, recover.*\(got "write"\)/);
    expect(r.stderr).toMatch(/input\[0\]\.wrap_ttl_seconds must be a number of seconds, 0 or more \(got -1\)/);
    expect(r.stderr).toMatch(/input\[1\]\.data must be an object of request parameters/);
  });

  it("fails if a policy is invalid, naming the request and policy", () => {
    const r = access(["eval"], JSON.stringify([
      { policies: [POLICY, `path "x" {\n  capabilities = ["reed"]\n}`], path: "x", operation: "read" },
      { policies: [`path "x" {`], path: "x", operation: "read" },
    ]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/input\[0\]\.policies\[1\]: path "x": invalid capability "reed"/);
    expect(r.stderr).toMatch(/input\[1\]\.policies\[0\]: HCL syntax error/);
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
