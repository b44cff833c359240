import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigError, loadEnvironments } from "../../config/load";
import { loadPolicies, unattachedPolicyProblems, type PolicySet } from "../../config/policies";
import type { EnvironmentConfig } from "../../config/schema";
import { ROOT, configFor, defaultPolicies, environmentPolicies, rawConfig } from "../helpers";

const ENVS = ["dev", "prod"] as const;
const APP_POLICY_FILES = ["checktick-app", "config-service", "phoenix-guardian-app", "voicehive-connectors"];

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vault-platform-${prefix}-`));
}

/** Capabilities of the rule with exactly this path in the policy (undefined if absent). */
function capabilitiesAt(policies: PolicySet, name: string, path: string): string[] | undefined {
  return policies.get(name)!.rules.find((r) => r.path === path)?.rule.capabilities;
}

/**
 * Could a request path under `owned` match the rule `pattern`? Conservative: `+` matches one segment, a trailing
 * `*` any suffix, and a pattern that is a prefix of the owned path (or the other way round) overlaps.
 */
function overlaps(pattern: string, owned: string): boolean {
  const glob = pattern.endsWith("*");
  const parts = (glob ? pattern.slice(0, -1) : pattern).split("/");
  const ownedParts = owned.split("/");
  for (let i = 0; i < parts.length; i++) {
    if (i >= ownedParts.length) return true; // the owned prefix is shorter: requests below it can match
    const last = i === parts.length - 1;
    if (parts[i] === "+") continue;
    if (last && glob) return ownedParts[i].startsWith(parts[i]) || parts[i].startsWith(ownedParts[i]);
    if (last && i === ownedParts.length - 1 && owned.endsWith("/")) return parts[i] === ownedParts[i] || ownedParts[i] === "";
    if (parts[i] !== ownedParts[i]) return ownedParts[i] === "" && i === ownedParts.length - 1;
  }
  return true;
}

describe("policies/*.hcl", () => {
  it("parses every file, each into at least one path rule with capabilities", async () => {
    const policies = await defaultPolicies();
    const files = readdirSync(join(ROOT, "policies")).filter((f) => f.endsWith(".hcl"));
    expect([...policies.keys()].sort()).toEqual(files.map((f) => f.replace(/\.hcl$/, "")).sort());
    for (const p of policies.values()) {
      expect(p.rules.length).toBeGreaterThan(0);
      for (const { rule } of p.rules) expect(rule.capabilities?.length).toBeGreaterThan(0);
    }
  });

  it("has every file attached by some identity of some environment", async () => {
    const policies = await defaultPolicies();
    expect(unattachedPolicyProblems(ENVS.map((env) => configFor(env)), policies)).toEqual([]);
  });

  it("fails if a policy file is attached in no environment, but not if it is attached in only one", async () => {
    const policies = await defaultPolicies();
    const withoutSnapshot = (c: any) => (c.platform = c.platform.filter((i: any) => i.name !== "raft-snapshot"));
    expect(unattachedPolicyProblems([configFor("dev", withoutSnapshot), configFor("prod")], policies)).toEqual([]);
    expect(unattachedPolicyProblems([configFor("dev", withoutSnapshot), configFor("prod", withoutSnapshot)], policies)).toEqual([
      `${join(ROOT, "policies", "raft-snapshot.hcl")}: is not attached by any identity in applications or platform of any environment (attach it or delete the file)`,
    ]);
  });

  it.each(ENVS)("has a file for every policy named in %s", async (env) => {
    const policies = await defaultPolicies();
    const config = configFor(env);
    const named = [...config.applications, ...config.platform].flatMap((i) => i.policies);
    expect(named.filter((p) => !policies.has(p))).toEqual([]);
  });

  it("fails if a policy has an HCL 1 syntax error, naming the file and line", async () => {
    const dir = tempDir("policies");
    writeFileSync(join(dir, "good.hcl"), 'path "a/*" {\n  capabilities = ["read"]\n}\n');
    writeFileSync(join(dir, "broken.hcl"), 'path "a" {\n  capabilities = ["read"]\n}\npath "b" {\n  capabilities = ["read"\n}\n');
    await expect(loadPolicies(dir)).rejects.toThrow(/broken\.hcl: failed to parse policy: At 6:1: error parsing list, expected comma or list end, got: RBRACE/);
  });

  it("accepts a top-level name equal to the file name (Vault accepts a name key), and fails on another name", async () => {
    const dir = tempDir("policies");
    writeFileSync(join(dir, "named.hcl"), 'name = "named"\npath "a" {\n  capabilities = ["read"]\n}\n');
    expect([...(await loadPolicies(dir)).keys()]).toEqual(["named"]);
    writeFileSync(join(dir, "renamed.hcl"), 'name = "other"\npath "a" {\n  capabilities = ["read"]\n}\n');
    await expect(loadPolicies(dir)).rejects.toThrow(/renamed\.hcl: name = "other" differs from the file name "renamed"/);
  });

  it("fails if a policy holds a key Vault rejects, listing the problems of every file", async () => {
    const dir = tempDir("policies");
    writeFileSync(join(dir, "odd.hcl"), 'name = "other"\npath "a" {\n  capabilities = ["read"]\n  ttl = "1h"\n}\nbad = "x"\n');
    writeFileSync(join(dir, "empty.hcl"), "# nothing\n");
    const error = (await loadPolicies(dir).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems).toEqual([
      expect.stringMatching(/empty\.hcl: holds no path rule$/),
      // Vault stops at the first check that fails: the top-level keys.
      expect.stringMatching(/odd\.hcl: failed to parse policy: invalid key "bad" on line 6$/),
    ]);
  });

  it("fails if config names a policy that has no file, with a clear message", async () => {
    const policies = await defaultPolicies();
    const dir = tempDir("config");
    const raw: any = rawConfig("dev");
    raw.applications[0].policies = ["checktick-app", "checktick-admin"];
    writeFileSync(join(dir, "dev.yaml"), stringify(raw));
    expect(() => loadEnvironments(dir, { policyNames: new Set(policies.keys()), ruleIds: new Set() })).toThrow(
      /dev\.yaml: applications\[0\]\.policies\[1\]: must name a policy file policies\/checktick-admin\.hcl \(got "checktick-admin"\)/,
    );
  });
});

describe("policy contents", () => {
  it("gives phoenix-guardian-app exactly its ADR's grants and denies sys/ and auth/", async () => {
    const p = await environmentPolicies("dev");
    expect(capabilitiesAt(p, "phoenix-guardian-app", "phoenix-guardian/data/api/*")).toEqual(["read"]);
    expect(capabilitiesAt(p, "phoenix-guardian-app", "database/creds/app-role")).toEqual(["read"]);
    expect(capabilitiesAt(p, "phoenix-guardian-app", "transit/encrypt/patient-data")).toEqual(["update"]);
    expect(capabilitiesAt(p, "phoenix-guardian-app", "transit/decrypt/patient-data")).toEqual(["update"]);
    expect(capabilitiesAt(p, "phoenix-guardian-app", "sys/*")).toEqual(["deny"]);
    expect(capabilitiesAt(p, "phoenix-guardian-app", "auth/*")).toEqual(["deny"]);
    expect(capabilitiesAt(p, "phoenix-guardian-app", "database/creds/readonly-role")).toBeUndefined();
  });

  it("lets raft-snapshot read the snapshot endpoint and nothing else", async () => {
    const p = await environmentPolicies("dev");
    expect(p.get("raft-snapshot")!.rules.map((r) => [r.path, r.rule.capabilities])).toEqual([["sys/storage/raft/snapshot", ["read"]]]);
  });

  it("lets cert-manager-issuer sign on one PKI role only", async () => {
    const p = await environmentPolicies("dev");
    expect(p.get("cert-manager-issuer")!.rules.map((r) => [r.path, r.rule.capabilities])).toEqual([["pki_int/sign/cert-manager", ["update"]]]);
  });

  it("keeps terraform-ci away from application credentials, certificate issuance and exported CA keys", async () => {
    const p = await environmentPolicies("dev");
    // AppRole: role and role-id paths only, one segment wide, so no secret-id path is granted.
    expect(p.get("terraform-ci")!.rules.filter((r) => r.path.startsWith("auth/approle/")).map((r) => [r.path, r.rule.capabilities])).toEqual([
      ["auth/approle/role/+", ["create", "read", "update", "delete"]],
      ["auth/approle/role/+/role-id", ["read"]],
    ]);
    for (const path of [
      "pki_int/issue/*",
      "pki_int/sign/*",
      "pki/root/generate/exported",
      "pki_int/intermediate/generate/exported",
    ]) {
      expect([path, capabilitiesAt(p, "terraform-ci", path)]).toEqual([path, ["deny"]]);
    }
    const grants = p.get("terraform-ci")!.rules.filter((r) => !r.rule.capabilities?.includes("deny")).map((r) => r.path);
    // The one data path: the restore drill's canary, which CI writes once and never reads.
    expect(grants.filter((g) => /creds|encrypt|decrypt|\/data\//.test(g))).toEqual(["secret/data/restore-drill/canary"]);
    expect(capabilitiesAt(p, "terraform-ci", "secret/data/restore-drill/canary")).not.toContain("read");
  });

  it("gives platform-admin no root policy and every other policy no sudo (terraform-plan: only to list audit devices)", async () => {
    const p = await environmentPolicies("dev");
    expect([...p.values()].filter((policy) => /"root"/.test(policy.text)).map((policy) => policy.name)).toEqual([]);
    const sudo = [...p.values()]
      .filter((policy) => policy.name !== "platform-admin" && policy.name !== "terraform-ci")
      .flatMap((policy) => policy.rules.filter((r) => r.rule.capabilities?.includes("sudo")).map((r) => `${policy.name}: ${r.path}`));
    // GET sys/audit is root-protected: a plan cannot refresh vault_audit without it.
    expect(sudo).toEqual(["terraform-plan: sys/audit"]);
  });

  it("keeps KV v2 application paths under <mount>/data/ and <mount>/metadata/ (or delete/undelete)", async () => {
    const p = await environmentPolicies("dev");
    const kvMounts = new Set(configFor("dev").vault.kv.map((m) => m.path));
    const outside = APP_POLICY_FILES.flatMap((name) =>
      p
        .get(name)!
        .rules.map((r) => r.path.split("/"))
        .filter(([mount, kind]) => kvMounts.has(mount) && !["data", "metadata", "delete", "undelete"].includes(kind))
        .map((parts) => `${name}: ${parts.join("/")}`),
    );
    expect(outside).toEqual([]);
  });

  it.each(ENVS)("lets no application reach another application's owned paths in %s", async (env) => {
    const p = await environmentPolicies(env);
    const config: EnvironmentConfig = configFor(env);
    const reach: string[] = [];
    for (const app of config.applications) {
      const grants = app.policies.flatMap((n) => p.get(n)!.rules.filter((r) => !r.rule.capabilities?.includes("deny")).map((r) => r.path));
      for (const other of config.applications.filter((o) => o !== app)) {
        for (const owned of other.ownedPaths) {
          for (const g of grants) if (overlaps(g, owned)) reach.push(`${app.name} -> ${other.name}: ${g} reaches ${owned}`);
        }
      }
    }
    expect(reach).toEqual([]);
  });

  it("detects a policy that reaches another application's paths (the check above can fail)", () => {
    expect(overlaps("secret/data/*", "secret/data/config/")).toBe(true);
    expect(overlaps("secret/data/+/+/*", "secret/data/config/")).toBe(true);
    expect(overlaps("phoenix-guardian/*", "phoenix-guardian/")).toBe(true);
    expect(overlaps("transit/encrypt/patient-data", "transit/encrypt/patient-data")).toBe(true);
    expect(overlaps("secret/data/config/+/+/*", "secret/data/platform/")).toBe(false);
    expect(overlaps("transit/encrypt/voicehive-fields", "transit/encrypt/patient-data")).toBe(false);
  });
});
