/** Runs every policies/tests/*.yaml against the real policies/*.hcl, and proves the runner reports failures. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPolicyTests } from "../../access/policy-tests";
import { parsePolicyText } from "../../config/policies";
import { defaultPolicies, environmentPolicies, ROOT } from "../helpers";

const TESTS_DIR = join(ROOT, "policies", "tests");

describe("policies/tests", () => {
  it.each(["dev", "prod"] as const)("every expectation holds against the committed policies as %s's Vault receives them", async (env) => {
    expect(runPolicyTests(await environmentPolicies(env), TESTS_DIR)).toEqual([]);
  });

  it("every policy has a test file", async () => {
    const tested = readdirSync(TESTS_DIR).map((f) => f.replace(/\.yaml$/, ""));
    expect(tested.sort()).toEqual([...(await defaultPolicies()).keys()].sort());
  });
});

describe("runPolicyTests", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "policy-tests-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return runPolicyTests(await defaultPolicies(), dir);
  };

  it("infers the policy from the file name and passes when expectations hold", async () => {
    expect(await run({ "raft-snapshot.yaml": "allow:\n  - { path: sys/storage/raft/snapshot, capability: read }\n" })).toEqual([]);
  });

  it("merges the listed policies, so one policy's grant shows up for the pair", async () => {
    const yaml = "policies: [raft-snapshot, cert-manager-issuer]\nallow:\n  - { path: sys/storage/raft/snapshot, capability: read }\n  - { path: pki_int/sign/cert-manager, capability: update }\n";
    expect(await run({ "pair.yaml": yaml })).toEqual([]);
  });

  it("fails if an allow expectation is not met", async () => {
    const failures = await run({ "raft-snapshot.yaml": "allow:\n  - { path: sys/storage/raft/snapshot, capability: update }\n" });
    expect(failures).toEqual([expect.stringMatching(/raft-snapshot should have update on "sys\/storage\/raft\/snapshot" but does not/)]);
  });

  it("fails if a deny expectation is not met", async () => {
    const failures = await run({ "phoenix-guardian-app.yaml": "deny:\n  - { path: database/creds/app-role, capability: read }\n" });
    expect(failures).toEqual([expect.stringMatching(/phoenix-guardian-app should not have read on "database\/creds\/app-role" but does/)]);
  });

  it("fails if a sudo expectation is not met", async () => {
    const failures = await run({ "terraform-ci.yaml": "allow:\n  - { path: sys/mounts/x, capability: sudo }\n" });
    expect(failures).toEqual([expect.stringMatching(/should have sudo on "sys\/mounts\/x"/)]);
  });

  it("fails if the file names an unknown policy", async () => {
    const failures = await run({ "x.yaml": "policies: [nope]\ndeny:\n  - { path: a, capability: read }\n" });
    expect(failures).toEqual([expect.stringMatching(/unknown policy "nope"/)]);
  });

  it("fails if an expectation is malformed, reporting every problem", async () => {
    const failures = await run({ "raft-snapshot.yaml": "allow:\n  - { path: a, capability: write }\n  - { path: '', capability: read, extra: 1 }\ncolour: red\n" });
    expect(failures).toEqual([
      expect.stringMatching(/unknown key "colour"/),
      expect.stringMatching(/allow\[0\]\.capability must be one of read, list, create, update, patch, delete, sudo \(got "write"\)/),
      expect.stringMatching(/allow\[1\] must be \{ path, capability, wrapTtl\? \} \(unknown key "extra"\)/),
    ]);
  });

  it("fails if the file holds no expectation", async () => {
    expect(await run({ "raft-snapshot.yaml": "policies: [raft-snapshot]\n" })).toEqual([expect.stringMatching(/holds no allow or deny expectation/)]);
  });

  it("fails if the YAML does not parse", async () => {
    expect(await run({ "raft-snapshot.yaml": "allow: [\n" })).toEqual([expect.stringMatching(/raft-snapshot\.yaml: YAML syntax: /)]);
  });

  it("evaluates an expectation with wrapTtl as a response-wrapped request, and fails on a bad duration", async () => {
    const dir2 = mkdtempSync(join(tmpdir(), "policy-tests-wrap-"));
    const policies = new Map(await defaultPolicies());
    const text = 'path "auth/approle/role/app/secret-id" {\n  capabilities = ["update"]\n  min_wrapping_ttl = "1m"\n  max_wrapping_ttl = "1h"\n}\n';
    policies.set("wrapper", { name: "wrapper", file: "wrapper.hcl", text, rules: [{ path: "auth/approle/role/app/secret-id", rule: parsePolicyText("wrapper.hcl", text).rules[0].rule }] });
    writeFileSync(
      join(dir2, "wrapper.yaml"),
      "allow:\n  - { path: auth/approle/role/app/secret-id, capability: update, wrapTtl: 5m }\ndeny:\n  - { path: auth/approle/role/app/secret-id, capability: update }\n  - { path: auth/approle/role/app/secret-id, capability: update, wrapTtl: 2h }\n",
    );
    expect(runPolicyTests(policies, dir2)).toEqual([]);
    writeFileSync(join(dir2, "wrapper.yaml"), "deny:\n  - { path: auth/approle/role/app/secret-id, capability: update, wrapTtl: 5m }\n  - { path: a, capability: read, wrapTtl: soon }\n");
    expect(runPolicyTests(policies, dir2)).toEqual([expect.stringMatching(/deny\[1\]\.wrapTtl must be a Vault duration .*\(got "soon"\)/)]);
    writeFileSync(join(dir2, "wrapper.yaml"), "deny:\n  - { path: auth/approle/role/app/secret-id, capability: update, wrapTtl: 5m }\n");
    expect(runPolicyTests(policies, dir2)).toEqual([expect.stringMatching(/should not have update on "auth\/approle\/role\/app\/secret-id" \(response wrapped for 300s\) but does/)]);
    rmSync(dir2, { recursive: true, force: true });
  });
});
