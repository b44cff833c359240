/** The least-privilege check synth runs before any stack is built, on the committed configs and on broken ones. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type LoadedEnvironment } from "../../config/load";
import { parsePolicy, type PolicySet } from "../../config/policies";
import { checkAccessAtSynth, leastPrivilegeProblems, witness, within } from "../../access/least-privilege";
import { configFor, defaultPolicies, ROOT } from "../helpers";

const env = (name: "dev" | "prod", edit?: (raw: Record<string, any>) => void): LoadedEnvironment => ({
  file: `config/${name}.yaml`,
  config: configFor(name, edit),
});

/** The committed policies with `extra` appended to one policy's text. */
async function withExtra(policy: string, extra: string): Promise<PolicySet> {
  const policies = new Map(await defaultPolicies());
  const original = policies.get(policy)!;
  policies.set(policy, await parsePolicy(policy, original.file, `${original.text}\n${extra}\n`));
  return policies;
}

function check(loaded: LoadedEnvironment, policies: PolicySet): void {
  const problems = leastPrivilegeProblems(loaded, policies);
  if (problems.length > 0) throw new ConfigError(problems);
}

describe("least privilege at synth", () => {
  let policiesNow: PolicySet;
  beforeAll(async () => {
    policiesNow = await defaultPolicies();
  });

  it.each(["dev", "prod"] as const)("passes for the committed %s config and policies", async (name) => {
    expect(leastPrivilegeProblems(env(name), await defaultPolicies())).toEqual([]);
  });

  it("fails if a policy grants another application's owned path", async () => {
    const policies = await withExtra("voicehive-connectors", 'path "phoenix-guardian/data/api/*" { capabilities = ["read"] }');
    expect(() => check(env("dev"), policies)).toThrow(
      /config\/dev\.yaml: applications\[3\] voicehive \(policies voicehive-connectors, default\) reaches phoenix-guardian's owned path phoenix-guardian\/ .*: read on "phoenix-guardian\/data\/api\/x"/,
    );
  });

  it("fails if a `+` rule reaches into another application's tree", async () => {
    const policies = await withExtra("config-service", 'path "secret/data/+/*" { capabilities = ["read"] }');
    const problems = leastPrivilegeProblems(env("dev"), policies);
    expect(problems.join("\n")).toMatch(/config-service .* reaches checktick's owned path secret\/data\/users\/ .*: read on "secret\/data\/users\/"; read on "secret\/data\/users\/x"/);
    // Its own trees (secret/data/<environment>/) are not a finding.
    expect(problems.join("\n")).not.toMatch(/owned path secret\/data\/production\//);
  });

  it("passes when a deny wins over the grant that would reach another application", async () => {
    const policies = await withExtra(
      "voicehive-connectors",
      'path "phoenix-guardian/*" { capabilities = ["read"] }\npath "phoenix-guardian/*" { capabilities = ["deny"] }',
    );
    expect(leastPrivilegeProblems(env("dev"), policies)).toEqual([]);
  });

  it("fails if a policy grants sys/ beyond the identity's declared systemPaths", async () => {
    const policies = await withExtra("raft-snapshot", 'path "sys/storage/raft/snapshot-force" { capabilities = ["update"] }');
    expect(() => check(env("dev"), policies)).toThrow(
      /platform\[0\] raft-snapshot \(policies raft-snapshot, default\) reaches sys\/ beyond its declared systemPaths.*: update on "sys\/storage\/raft\/snapshot-force"/,
    );
  });

  it("fails if a policy path is reached under a blanket sys/ declaration", async () => {
    const loaded = env("dev", (raw) => {
      raw.platform.find((p: any) => p.name === "raft-snapshot").systemPaths = ["sys/"];
    });
    const policies = await withExtra("raft-snapshot", 'path "sys/policy/*" { capabilities = ["update"] }');
    expect(() => check(loaded, policies)).toThrow(/raft-snapshot .* reaches sys\/ beyond its declared systemPaths.*: update on "sys\/policy\/x"/);
  });

  it("fails if a policy grants auth/token/create with sudo, even to an identity that manages auth/token/create", async () => {
    const policies = await withExtra("terraform-ci", 'path "auth/token/create" { capabilities = ["update", "sudo"] }');
    expect(() => check(env("dev"), policies)).toThrow(/terraform-ci \(policies terraform-ci, default\) can create tokens with sudo .*: sudo on "auth\/token\/create"/);
  });

  it("fails if a policy grants auth/token/create-orphan with sudo through a glob", async () => {
    const policies = await withExtra("config-service", 'path "auth/token/*" { capabilities = ["update", "sudo"] }');
    const problems = leastPrivilegeProblems(env("dev"), policies).join("\n");
    expect(problems).toMatch(/config-service .* can create tokens with sudo .*sudo on "auth\/token\/create-orphan"/);
    expect(problems).toMatch(/config-service .* reaches auth\/ beyond its declared managesPaths/);
  });

  it("fails if a policy lets an identity mint another application's AppRole secret id", async () => {
    // The mistake the CI policy once made: role/* reaches role/<name>/secret-id, and role/+/secret-id* loses to it.
    const policies = await withExtra(
      "terraform-ci",
      'path "auth/approle/role/*" { capabilities = ["update"] }\npath "auth/approle/role/+/secret-id*" { capabilities = ["deny"] }',
    );
    expect(() => check(env("dev"), policies)).toThrow(
      /terraform-ci .* can mint checktick's AppRole secret id \(and so log in as checktick\): update on "auth\/approle\/role\/checktick-app\/secret-id"/,
    );
  });

  it("finds every other identity's owned paths and AppRole secret ids under a rule that matches everything", async () => {
    const policies = await withExtra("voicehive-connectors", 'path "*" { capabilities = ["read", "update"] }');
    const loaded = env("dev");
    const problems = leastPrivilegeProblems(loaded, policies).filter((p) => p.includes(" voicehive "));
    const others = [...loaded.config.applications, ...loaded.config.platform].filter((i) => i.name !== "voicehive");
    const expected = [
      ...others.flatMap((o) => (o.auth.method === "approle" ? [`can mint ${o.name}'s AppRole secret id`, `can mint ${o.name}'s AppRole secret id`] : [])),
      ...others.flatMap((o) => o.ownedPaths.map((owned) => `reaches ${o.name}'s owned path ${owned} `)),
    ];
    expect(expected.length).toBeGreaterThan(2);
    for (const what of new Set(expected)) {
      expect(problems.filter((p) => p.includes(what))).toHaveLength(expected.filter((e) => e === what).length);
    }
  });

  it("fails if an identity other than the declared rotator mints a secret id, even response-wrapped", async () => {
    const policies = await withExtra(
      "terraform-plan",
      'path "auth/approle/role/checktick-app/secret-id" {\n  capabilities = ["update"]\n  min_wrapping_ttl = "1m"\n}',
    );
    expect(leastPrivilegeProblems(env("dev"), policies).join("\n")).toMatch(
      /terraform-plan .* can mint checktick's AppRole secret id response-wrapped on "auth\/approle\/role\/checktick-app\/secret-id" \(only its secretIdRotation\.rotator may\)/,
    );
  });

  it("fails if the declared rotator can mint the secret id unwrapped", async () => {
    const policies = new Map(policiesNow);
    const file = policiesNow.get("checktick-secret-id-rotator")!.file;
    policies.set("checktick-secret-id-rotator", await parsePolicy("checktick-secret-id-rotator", file, 'path "auth/approle/role/checktick-app/secret-id" {\n  capabilities = ["update"]\n}\n'));
    expect(leastPrivilegeProblems(env("dev"), policies).join("\n")).toMatch(
      /checktick-secret-id-rotator .* rotates checktick's secret id but can mint it unwrapped on "auth\/approle\/role\/checktick-app\/secret-id" \(set min_wrapping_ttl on that rule\)/,
    );
  });

  it("fails if an identity mints an application's secret ids that the application does not name as its rotator", () => {
    const edit = (c: any) => delete c.applications[0].auth.secretIdRotation;
    const problems = leastPrivilegeProblems(env("dev", edit), policiesNow).join("\n");
    expect(problems).toMatch(/checktick-secret-id-rotator .* can mint checktick's AppRole secret id response-wrapped/);
  });

  it("fails if a policy reaches identity/ without a managesPaths entry", async () => {
    const policies = await withExtra("cert-manager-issuer", 'path "identity/entity/*" { capabilities = ["read"] }');
    expect(() => check(env("prod"), policies)).toThrow(/config\/prod\.yaml: platform\[1\] cert-manager .* reaches identity\/ beyond its declared managesPaths: read on "identity\/entity\/x"/);
  });

  it("counts Vault's default policy in the ACL, and reports a grant beyond it that only a policy file makes", async () => {
    // The default policy alone reaches sys/wrapping/wrap, sys/capabilities-self, identity/entity/id/{{...}}:
    // Vault's baseline, not a finding (the committed configs pass above with it in every ACL).
    const samePath = await withExtra("voicehive-connectors", 'path "sys/wrapping/wrap" { capabilities = ["update"] }');
    expect(leastPrivilegeProblems(env("dev"), samePath).join("\n")).toMatch(
      /voicehive \(policies voicehive-connectors, default\) reaches sys\/ beyond its declared systemPaths .*: update on "sys\/wrapping\/wrap"/,
    );
    // phoenix-guardian denies sys/* but default's exact rules are chosen first, so its token still renews itself.
    const denySys = await withExtra("phoenix-guardian-app", 'path "sys/wrapping/lookup" { capabilities = ["update", "read"] }');
    expect(leastPrivilegeProblems(env("dev"), denySys).join("\n")).toMatch(/phoenix-guardian .* read, update on "sys\/wrapping\/lookup"/);
  });

  it("leaves the default policy out for an identity that sets tokenNoDefaultPolicy", async () => {
    const policies = await withExtra("voicehive-connectors", 'path "sys/wrapping/wrap" { capabilities = ["update"] }');
    const optOut = env("dev", (raw) => {
      raw.applications.find((a: any) => a.name === "voicehive").tokenNoDefaultPolicy = true;
    });
    expect(leastPrivilegeProblems(optOut, policies)).toEqual([
      expect.stringMatching(/applications\[3\] voicehive \(policies voicehive-connectors\) reaches sys\/ beyond its declared systemPaths .*: update on "sys\/wrapping\/wrap"$/),
    ]);
  });

  it("never checks platform-admin", async () => {
    const policies = await withExtra("platform-admin", 'path "auth/token/root" { capabilities = ["update", "sudo"] }');
    expect(leastPrivilegeProblems(env("dev"), policies)).toEqual([]);
  });

  it("fails with the policy tests' failures too, all in one ConfigError", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vault-platform-lp-"));
    cpSync(join(ROOT, "policies", "tests"), join(dir, "tests"), { recursive: true });
    writeFileSync(join(dir, "tests", "raft-snapshot.yaml"), "allow:\n  - { path: sys/seal, capability: update }\n");
    const policies = await withExtra("raft-snapshot", 'path "sys/storage/raft/snapshot-force" { capabilities = ["update"] }');
    let error: unknown;
    try {
      checkAccessAtSynth([env("dev")], policies, dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/raft-snapshot .* reaches sys\/ beyond its declared systemPaths/),
      expect.stringMatching(/^policy test failed: .*raft-snapshot\.yaml: raft-snapshot should have update on "sys\/seal" but does not$/),
    ]);
  });

  it("fails if an attached policy has no policy test file, naming both files", () => {
    const dir = mkdtempSync(join(tmpdir(), "vault-platform-lp-"));
    cpSync(join(ROOT, "policies"), dir, { recursive: true });
    const attached = env("dev").config.applications[0]!.policies[0]!;
    rmSync(join(dir, "tests", `${attached}.yaml`));
    expect(() => checkAccessAtSynth([env("dev")], policiesNow, dir)).toThrow(
      new RegExp(`${attached}\\.hcl: has no policy test file .*tests/${attached}\\.yaml`),
    );
  });

  it("passes for the committed configs, policies and policy tests", async () => {
    expect(() => checkAccessAtSynth([env("dev"), env("prod")], policiesNow, join(ROOT, "policies"))).not.toThrow();
  });
});

describe("probe paths", () => {
  it("covers a declared directory and its listing, and an exact path and its children", () => {
    expect(within("sys/mounts", "sys/mounts/")).toBe(true);
    expect(within("sys/mounts/kv", "sys/mounts/")).toBe(true);
    expect(within("sys/mountsx", "sys/mounts/")).toBe(false);
    expect(within("database/creds/app-role/x", "database/creds/app-role")).toBe(true);
    expect(within("database/creds/app-role-2", "database/creds/app-role")).toBe(false);
  });

  it("makes a witness of a rule inside a region when they overlap", () => {
    expect(witness("secret/data/+/*", "secret/data/users/")).toBe("secret/data/users/x");
    expect(witness("sys/*", "sys/")).toBe("sys/x");
    expect(witness("auth/token/*", "auth/token/create")).toBe("auth/token/create");
    expect(witness("auth/approle/role/+/secret-id*", "auth/approle/role/checktick-app/secret-id")).toBe("auth/approle/role/checktick-app/secret-id");
    expect(witness("phoenix-guardian/config", "phoenix-guardian/")).toBe("phoenix-guardian/config");
  });
});

describe("npm run synth with a least-privilege violation", () => {
  it("fails before any stack is built, naming the identity and the path, and writes nothing", () => {
    const work = mkdtempSync(join(tmpdir(), "vault-platform-lp-synth-"));
    const policyDir = join(work, "policies");
    cpSync(join(ROOT, "policies"), policyDir, { recursive: true });
    const file = join(policyDir, "voicehive-connectors.hcl");
    writeFileSync(file, `${readFileSync(file, "utf8")}\npath "database/creds/app-role" {\n  capabilities = ["read"]\n}\n`);
    const outdir = join(work, "cdktf.out");
    const r = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "main.ts"], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, VAULT_PLATFORM_POLICY_DIR: policyDir },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^invalid configuration/);
    expect(r.stderr).toMatch(/config\/dev\.yaml: applications\[3\] voicehive .* reaches phoenix-guardian's owned path database\/creds\/app-role .*: read on "database\/creds\/app-role"/);
    expect(r.stderr).toMatch(/config\/prod\.yaml: applications\[3\] voicehive/);
    expect(existsSync(outdir)).toBe(false);
  }, 60_000);
});
