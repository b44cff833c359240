/**
 * Inputs Vault or AWS would refuse, or that would silently change meaning, each with the field its message must
 * name (#24 point 4). Shared by the config-mutations table (in-process validation) and its real-synth sample.
 * Each case edits copies of config/ and policies/; the expected messages name the file and the underlying field,
 * what was given and what is expected.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

export interface Dirs {
  readonly config: string;
  readonly policies: string;
}

export interface MeaningCase {
  readonly name: string;
  readonly setup: (d: Dirs) => void;
  /** Every one must match a problem. */
  readonly expected: readonly RegExp[];
}

/** Edits both environments' configs (or one) as parsed YAML. */
export function editConfig(d: Dirs, edit: (raw: any, env: "dev" | "prod") => void, envs: readonly ("dev" | "prod")[] = ["dev", "prod"]): void {
  for (const env of envs) {
    const file = join(d.config, `${env}.yaml`);
    const raw = parse(readFileSync(file, "utf8"));
    edit(raw, env);
    writeFileSync(file, stringify(raw));
  }
}

const TEST_POLICY = 'path "secret/data/*" {\n  capabilities = ["read"]\n}\n';
const TEST_EXPECTATIONS = "allow:\n  - { path: secret/data/x, capability: read }\n";

/** A policy file with that (reserved) name, its test, attached to the first application everywhere. */
function reservedPolicy(name: string): MeaningCase {
  return {
    name: `a policy file named ${name}.hcl attached to an application`,
    setup: (d) => {
      writeFileSync(join(d.policies, `${name}.hcl`), TEST_POLICY);
      writeFileSync(join(d.policies, "tests", `${name}.yaml`), TEST_EXPECTATIONS);
      editConfig(d, (raw) => raw.applications[0].policies.push(name));
    },
    expected: [
      new RegExp(`${name}\\.hcl: the policy name "${name}" is reserved by Vault`),
      new RegExp(`dev\\.yaml: applications\\[0\\]\\.policies\\[\\d+\\]: must not be a policy Vault reserves .*\\(got "${name}"\\)`),
    ],
  };
}

/** Index of the KV mount a case appends to dev's config (after the mounts it already has, onboarded ones included). */
const NEW_KV = (parse(readFileSync(join(__dirname, "..", "config", "dev.yaml"), "utf8")) as { vault: { kv: unknown[] } }).vault.kv.length;

const addKv = (path: string) => (d: Dirs) => editConfig(d, (raw) => raw.vault.kv.push({ path, maxVersions: 1, casRequired: true }));

export const MEANING_CASES: readonly MeaningCase[] = [
  ...["default", "root", "response-wrapping", "control-group"].map(reservedPolicy),
  {
    name: "a KV mount at the transit path",
    setup: addKv("transit"),
    expected: [new RegExp(String.raw`dev\.yaml: vault\.kv\[${NEW_KV}\]\.path: collides with vault\.transit\.path \("transit"\): two mounts at one path.*\(got "transit"\)`)],
  },
  {
    name: "a KV mount at the PKI root path",
    setup: addKv("pki"),
    expected: [new RegExp(String.raw`dev\.yaml: vault\.kv\[${NEW_KV}\]\.path: collides with vault\.pki\.rootPath \("pki"\)`)],
  },
  {
    name: "a KV mount nested inside another mount",
    setup: addKv("secret/inner"),
    expected: [new RegExp(String.raw`dev\.yaml: vault\.kv\[${NEW_KV}\]\.path: nests inside vault\.kv\[0\]\.path \("secret"\).*Vault refuses a mount under another.*\(got "secret\/inner"\)`)],
  },
  ...["auth/x", "sys/x", "identity", "cubbyhole/y", "audit/z"].map((path) => ({
    name: `a KV mount under the reserved prefix ${path.split("/")[0]}/`,
    setup: addKv(path),
    expected: [new RegExp(`dev\\.yaml: vault\\.kv\\[${NEW_KV}\\]\\.path: must not be under ${path.split("/")[0]}/, which Vault reserves .*\\(got "${path}"\\)`)],
  })),
  {
    name: "the PKI intermediate path equal to the root path",
    setup: (d) => editConfig(d, (raw) => (raw.vault.pki.intermediatePath = raw.vault.pki.rootPath), ["dev"]),
    expected: [/dev\.yaml: vault\.pki\.intermediatePath: collides with vault\.pki\.rootPath \("pki"\)/],
  },
  {
    name: "two auth mounts on the same path",
    setup: (d) => editConfig(d, (raw) => (raw.vault.auth.jwt.path = raw.vault.auth.kubernetes.path), ["dev"]),
    expected: [/dev\.yaml: vault\.auth\.jwt\.path: collides with vault\.auth\.kubernetes\.path \("kubernetes"\)/],
  },
  {
    name: "an auth mount at the token store's path",
    setup: (d) => editConfig(d, (raw) => (raw.vault.auth.oidc.path = "token"), ["dev"]),
    expected: [/dev\.yaml: vault\.auth\.oidc\.path: must not be token: Vault's token store is mounted at auth\/token \(got "token"\)/],
  },
  {
    name: "a JWT userClaim of the empty string",
    setup: (d) => editConfig(d, (raw) => (raw.platform.find((i: any) => i.auth.method === "jwt").auth.userClaim = ""), ["dev"]),
    expected: [/dev\.yaml: platform\[\d+\]\.auth\.userClaim: must name a claim/],
  },
  {
    name: "a custom YAML tag in a config (!Ref)",
    setup: (d) => writeFileSync(join(d.config, "dev.yaml"), readFileSync(join(d.config, "dev.yaml"), "utf8").replace("environment: dev", "environment: !Ref dev")),
    expected: [/dev\.yaml: YAML: line \d+, column \d+: the tag !Ref is not supported/],
  },
  {
    name: "a %TAG directive in a config",
    setup: (d) => {
      const text = readFileSync(join(d.config, "dev.yaml"), "utf8").replace("environment: dev", "environment: !vault!env dev");
      writeFileSync(join(d.config, "dev.yaml"), `%TAG !vault! tag:example.com,2000:\n---\n${text}`);
    },
    expected: [/dev\.yaml: YAML: %TAG directives are not supported/],
  },
  {
    name: "a custom YAML tag in a policy test (!vault)",
    setup: (d) => {
      const file = join(d.policies, "tests", "raft-snapshot.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("{ path: sys/storage/raft/snapshot, capability: read }", "{ path: !vault sys/storage/raft/snapshot, capability: read }"));
    },
    expected: [/tests\/raft-snapshot\.yaml: YAML: line \d+, column \d+: the tag !vault is not supported/],
  },
  {
    name: "backup.prefix making snapshot keys longer than S3's 1,024 bytes",
    setup: (d) => editConfig(d, (raw) => (raw.backup.prefix = Array(20).fill("p".repeat(50)).join("/")), ["dev"]),
    expected: [/dev\.yaml: backup\.prefix: makes the snapshot object key [\d,]+ bytes long \(p+\.\.\.; S3 allows 1,024\)/],
  },
  {
    name: "stateBackend.keyPrefix making state keys longer than S3's 1,024 bytes",
    setup: (d) => editConfig(d, (raw) => (raw.stateBackend.keyPrefix = Array(20).fill("k".repeat(50)).join("/")), ["prod"]),
    expected: [/prod\.yaml: stateBackend\.keyPrefix: makes the state object key \S+ [\d,]+ bytes long \(S3 allows 1,024\)/],
  },
  {
    name: "a description of no sane length",
    setup: (d) => editConfig(d, (raw) => (raw.applications[0].description = "d".repeat(1_001)), ["dev"]),
    expected: [/dev\.yaml: applications\[0\]\.description: must be at most 1,000 characters \(got 1,001\)/],
  },
  {
    name: "a KV mount description of no sane length",
    setup: (d) => editConfig(d, (raw) => (raw.vault.kv[0].description = "d".repeat(50_000)), ["dev"]),
    expected: [/dev\.yaml: vault\.kv\[0\]\.description: must be at most 1,000 characters \(got 50,000\)/],
  },
  {
    name: "a 10,000-character mount path",
    setup: (d) => editConfig(d, (raw) => (raw.vault.kv[1].path = "m".repeat(10_000)), ["dev"]),
    expected: [/dev\.yaml: vault\.kv\[1\]\.path: must be at most 256 characters \(got 10,000\)/],
  },
  {
    name: "an unknown capability in a policy without its test file",
    setup: (d) => {
      writeFileSync(join(d.policies, "raft-snapshot.hcl"), 'path "sys/storage/raft/snapshot" {\n  capabilities = ["reed"]\n}\n');
      rmSync(join(d.policies, "tests", "raft-snapshot.yaml"));
    },
    expected: [
      /raft-snapshot\.hcl: failed to parse policy: path "sys\/storage\/raft\/snapshot": invalid capability "reed" \(capabilities\[0\]: expected deny, create, read, update, delete, list, sudo, patch, subscribe or recover\)/,
    ],
  },
];
