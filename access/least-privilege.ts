/**
 * Least privilege, checked at synth before any stack is built: every identity except `platform-admin` may reach
 * only what its config declares. Reachability is decided by the ACL evaluator on concrete probe paths, so rule
 * priority, `deny`, `+` and `*` count exactly as in Vault. An identity must not reach:
 *  - `sys/` beyond its `systemPaths` (and policy paths, `sys/policy` and `sys/policies`, only when a declared
 *    system path names them: a blanket `sys/` does not cover them);
 *  - `auth/` or `identity/` beyond its `managesPaths`;
 *  - token creation with sudo (`auth/token/create*`) or `auth/token/root`, whatever it declares;
 *  - another identity's AppRole secret id (minting it is logging in as that identity), whatever it declares;
 *  - another identity's `ownedPaths` (and its AWS credentials, `<aws mount>/creds|sts/<awsRoles entry>`), unless its
 *    own `ownedPaths` or `managesPaths` cover the path.
 * An identity's token carries Vault's built-in `default` policy unless it sets `tokenNoDefaultPolicy`: it is part
 * of the ACL (rule choice and deny work across policies as in Vault), and what only `default` grants is Vault's
 * baseline (own token, cubbyhole, wrapping, own entity), shown in the matrix rather than reported here.
 */
import { join } from "node:path";
import { lexists } from "../config/files";
import { ConfigError, type LoadedEnvironment } from "../config/load";
import { policiesFor, type PolicySet } from "../config/policies";
import { Acl } from "./acl/acl";
import { type AclPolicy, CAPABILITY_BITS, compilePolicy } from "./acl/policy";
import { grants, runPolicyTests, type TestedCapability } from "./policy-tests";
import { grantedCapabilities } from "./matrix";
import { DEFAULT_POLICY_NAME, defaultPolicy } from "./default-policy";

/** The one identity allowed to reach everything (break-glass). */
export const ADMIN_IDENTITY = "platform-admin";

/** `p` is `declared` or under it; a declared `a/b/` also covers `a/b` itself (the listing). */
export function within(p: string, declared: string): boolean {
  if (declared.endsWith("/")) return p.startsWith(declared) || `${p}/` === declared;
  return p === declared || p.startsWith(`${declared}/`);
}

const POLICY_PATH = /^sys\/polic(y|ies)(\/|$)/;

/**
 * A concrete path that a policy path pattern matches and that lies in `region` when they overlap (`+` takes the
 * region's segment, a trailing `*` is extended into the region). Only a probe: the evaluator decides.
 */
export function witness(pattern: string, region: string): string {
  const written = pattern.replace(/^\/+/, "");
  const glob = written.endsWith("*");
  const body = glob ? written.slice(0, -1) : written;
  const target = region.split("/");
  const concrete = body
    .split("/")
    .map((s, i) => (s === "+" ? target[i] || "x" : s))
    .join("/");
  if (!glob) return concrete;
  if (region.startsWith(concrete)) return region.endsWith("/") ? `${region}x` : region;
  return `${concrete}x`;
}

/** Probe paths for a region: the region, a child, `extra`, and a witness of every rule of the identity. */
function probes(region: string, patterns: readonly string[], inRegion: (p: string) => boolean, extra: readonly string[]): string[] {
  const dir = region.endsWith("/") ? region : `${region}/`;
  const candidates = [region, region.replace(/\/$/, ""), `${dir}x`, ...extra, ...patterns.map((p) => witness(p, region))];
  return [...new Set(candidates)].filter(inRegion).sort();
}

interface Reach {
  readonly path: string;
  readonly capabilities: readonly TestedCapability[];
}

/** Capabilities reached on each path outside what is allowed; what only `default` grants is the baseline. */
function reached(acl: Acl, paths: readonly string[], allowed: (p: string) => boolean, only?: readonly TestedCapability[]): Reach[] {
  const baseline = (policies: readonly string[]) => policies.length === 1 && policies[0] === DEFAULT_POLICY_NAME;
  return paths
    .filter((p) => !allowed(p))
    .map((path) => ({
      path,
      capabilities: grantedCapabilities(acl, path)
        .filter((g) => !baseline(g.policies) && (!only || only.includes(g.capability)))
        .map((g) => g.capability),
    }))
    .filter((r) => r.capabilities.length > 0);
}

/**
 * The literal start of a policy path pattern: every path it matches begins with it (a `+` matches any segment,
 * only a trailing `*` is a glob).
 */
function literalPrefix(pattern: string): string {
  const written = pattern.replace(/^\/+/, "");
  const plus = written.indexOf("+");
  const body = plus >= 0 ? written.slice(0, plus) : written;
  return body.endsWith("*") && plus < 0 ? body.slice(0, -1) : body;
}

/**
 * Whether any path of `region` can match a pattern with one of these literal prefixes: both would be prefixes of
 * the same path, so one is a prefix of the other. A region no rule overlaps cannot be reached (Vault denies by
 * default), so it needs no probe: this keeps the check linear in the number of identities.
 */
function mayOverlap(prefixes: readonly string[], region: string): boolean {
  return prefixes.some((p) => region.startsWith(p) || p.startsWith(region));
}

interface GuardedRegion {
  readonly owner: string;
  readonly kind: "secret-id" | "owned";
  readonly region: string;
  /** For an AppRole `secret-id` endpoint: the identity the application names to rotate it (may mint, only wrapped). */
  readonly rotator?: string;
}

/** The rule chosen for `path` grants create or update, whatever wrapping or parameters it demands. */
function mintsWrapped(acl: Acl, path: string): boolean {
  return (["create", "update"] as const).some((op) => {
    const p = acl.permissionsFor(path, op);
    return !!p && (p.minWrappingTtl > 0 || p.maxWrappingTtl > 0) && !(p.capabilities & CAPABILITY_BITS.deny) && (p.capabilities & CAPABILITY_BITS[op]) !== 0;
  });
}

/**
 * Every identity's guarded regions, found by literal prefix without visiting the others: a region overlaps a
 * prefix when it starts with it (a range of the sorted regions) or is itself a prefix of it (one lookup per
 * prefix length). This keeps the check linear in the number of identities; `overlapping` returns regions in
 * the order they were given, as the problems are reported.
 */
class RegionIndex {
  private readonly sorted: { readonly region: string; readonly at: number }[];
  private readonly byRegion = new Map<string, number[]>();

  constructor(private readonly regions: readonly GuardedRegion[]) {
    this.sorted = regions.map((r, at) => ({ region: r.region, at })).sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.at - b.at));
    regions.forEach((r, at) => {
      const same = this.byRegion.get(r.region);
      if (same) same.push(at);
      else this.byRegion.set(r.region, [at]);
    });
  }

  overlapping(prefixes: readonly string[]): GuardedRegion[] {
    const found = new Set<number>();
    for (const prefix of prefixes) {
      // Regions that start with the prefix: from the first region >= prefix while they still start with it.
      let lo = 0;
      let hi = this.sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.sorted[mid].region < prefix) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < this.sorted.length && this.sorted[i].region.startsWith(prefix); i++) found.add(this.sorted[i].at);
      // Regions that are a prefix of it.
      for (let end = 0; end < prefix.length; end++) for (const at of this.byRegion.get(prefix.slice(0, end)) ?? []) found.add(at);
    }
    return [...found].sort((a, b) => a - b).map((at) => this.regions[at]);
  }
}

/**
 * The AWS secrets engine paths that issue an identity's `awsRoles` credentials (`creds/` and `sts/`, one endpoint in
 * Vault: builtin/logical/aws/path_user.go), owned by it as if listed in its `ownedPaths`.
 */
export function awsCredentialPaths(config: LoadedEnvironment["config"], identity: { readonly awsRoles: readonly string[] }): string[] {
  const mount = config.vault.aws?.path;
  return mount ? identity.awsRoles.flatMap((r) => [`${mount}/creds/${r}`, `${mount}/sts/${r}`]) : [];
}

const describe = (rs: readonly Reach[]) => rs.map((r) => `${r.capabilities.join(", ")} on "${r.path}"`).join("; ");

/** Problems of one environment, each prefixed with the config file and the identity. */
export function leastPrivilegeProblems(env: LoadedEnvironment, filePolicies: PolicySet): string[] {
  const { config, file } = env;
  const policies = policiesFor(filePolicies, config);
  const identities = [
    ...config.applications.map((identity, i) => ({ identity, at: `applications[${i}]` })),
    ...config.platform.map((identity, i) => ({ identity, at: `platform[${i}]` })),
  ];
  const approleMount = config.vault.auth.approle.path;
  const problems: string[] = [];
  const compiled = new Map<string, AclPolicy>();
  const compile = (name: string): AclPolicy | undefined => {
    const policy = policies.get(name);
    if (!policy) return undefined; // reported by the config loader
    if (!compiled.has(name)) compiled.set(name, compilePolicy(policy));
    return compiled.get(name);
  };

  const guardedRegions = new RegionIndex(
    identities.flatMap(({ identity: other }) => [
      ...(other.auth.method === "approle"
        ? ["secret-id", "custom-secret-id"].map((endpoint) => ({
            owner: other.name,
            kind: "secret-id" as const,
            region: `auth/${approleMount}/role/${other.auth.role}/${endpoint}`,
            rotator: other.auth.method === "approle" && endpoint === "secret-id" ? other.auth.secretIdRotation?.rotator : undefined,
          }))
        : []),
      ...other.ownedPaths.map((region) => ({ owner: other.name, kind: "owned" as const, region })),
      ...awsCredentialPaths(config, other).map((region) => ({ owner: other.name, kind: "owned" as const, region })),
    ]),
  );
  // A policies/default.hcl would be what Vault's `default` holds once applied; otherwise the built-in text.
  const builtin = policies.has(DEFAULT_POLICY_NAME) ? undefined : defaultPolicy();

  for (const { identity, at } of identities) {
    if (identity.name === ADMIN_IDENTITY) continue;
    const carried = identity.tokenNoDefaultPolicy || identity.policies.includes(DEFAULT_POLICY_NAME) ? [...identity.policies] : [...identity.policies, DEFAULT_POLICY_NAME];
    let acl: Acl;
    try {
      acl = new Acl(
        carried.flatMap((p) => (p === DEFAULT_POLICY_NAME && builtin ? [builtin.compiled] : (compile(p) ?? []))),
        { ownEntity: true },
      );
    } catch (e) {
      if (e instanceof ConfigError) {
        problems.push(...e.problems);
        continue;
      }
      throw e;
    }
    // Probes come from the identity's own policy files: what only the built-in default reaches is the baseline.
    const patterns = identity.policies.flatMap((p) => policies.get(p)?.rules.map((r) => r.path) ?? []);
    const prefixes = patterns.map(literalPrefix);
    const who = `${file}: ${at} ${identity.name} (policies ${carried.join(", ")})`;
    const declared = (list: readonly string[]) => (p: string) => list.some((d) => within(p, d));
    const check = (
      region: string,
      allowed: (p: string) => boolean,
      what: string,
      only?: readonly TestedCapability[],
      inRegion = (p: string) => within(p, region),
      extra: readonly string[] = [],
    ) => {
      // Only rules whose literal prefix overlaps the region can have a witness in it.
      const relevant = patterns.filter((_, i) => [region, ...extra].some((r) => mayOverlap([prefixes[i]], r)));
      if (relevant.length === 0) return;
      const hits = reached(acl, probes(region, relevant, inRegion, extra), allowed, only);
      if (hits.length > 0) problems.push(`${who} ${what}: ${describe(hits)}`);
    };

    check(
      "sys/",
      (p) => identity.systemPaths.some((d) => within(p, d) && (!POLICY_PATH.test(p) || POLICY_PATH.test(d))),
      "reaches sys/ beyond its declared systemPaths (policy paths need a systemPaths entry under sys/policy or sys/policies)",
    );
    const manages = declared(identity.managesPaths);
    check("auth/", manages, "reaches auth/ beyond its declared managesPaths");
    check("identity/", manages, "reaches identity/ beyond its declared managesPaths");
    check("auth/token/create", () => false, "can create tokens with sudo (orphan or any policy)", ["sudo"], (p) => p.startsWith("auth/token/create"), [
      "auth/token/create-orphan",
    ]);
    check("auth/token/root", () => false, "reaches auth/token/root");

    // Other identities' AppRole secret ids and owned paths, only those a rule of this identity can overlap.
    const own = declared([...identity.ownedPaths, ...identity.managesPaths, ...awsCredentialPaths(config, identity)]);
    for (const guarded of guardedRegions.overlapping(prefixes)) {
      if (guarded.owner === identity.name) continue;
      if (guarded.kind === "secret-id") {
        if (guarded.rotator === identity.name) {
          // The application's declared rotator may mint them, but only response-wrapped.
          if (grants(acl, guarded.region, "update") || grants(acl, guarded.region, "create")) {
            problems.push(`${who} rotates ${guarded.owner}'s secret id but can mint it unwrapped on "${guarded.region}" (set min_wrapping_ttl on that rule)`);
          }
          continue;
        }
        check(guarded.region, () => false, `can mint ${guarded.owner}'s AppRole secret id (and so log in as ${guarded.owner})`, ["create", "update"]);
        // A grant that requires response wrapping still mints one: the wrapping token's holder can unwrap it.
        if (mintsWrapped(acl, guarded.region)) {
          problems.push(`${who} can mint ${guarded.owner}'s AppRole secret id response-wrapped on "${guarded.region}" (only its secretIdRotation.rotator may)`);
        }
      } else {
        check(guarded.region, own, `reaches ${guarded.owner}'s owned path ${guarded.region} (declare it in managesPaths only if it manages that configuration)`);
      }
    }
  }
  return problems;
}

/**
 * The access checks synth runs after configs and policies are loaded and before any stack is built: least
 * privilege for every environment and the declarative policy tests (`<policyDir>/tests/*.yaml`). Throws one
 * ConfigError with every problem.
 */
export function checkAccessAtSynth(environments: readonly LoadedEnvironment[], policies: PolicySet, policyDir: string): void {
  const problems = environments.flatMap((env) => leastPrivilegeProblems(env, policies));
  const testsDir = join(policyDir, "tests");
  // Every policy an identity attaches states what it must allow and refuse (docs/onboarding.md, step 3); without
  // that file nothing checks it, so synth refuses rather than pass it silently.
  const attached = new Set(environments.flatMap((e) => [...e.config.applications, ...e.config.platform].flatMap((id) => id.policies)));
  for (const name of [...attached].filter((n) => policies.has(n)).sort()) {
    const file = join(testsDir, `${name}.yaml`);
    if (!lexists(file)) {
      problems.push(`${join(policyDir, `${name}.hcl`)}: has no policy test file ${file}: write the requests it must allow and must refuse (docs/onboarding.md, step 3)`);
    }
  }
  // Anything else at the tests path (a file, a dangling link) is reported by the test runner.
  if (lexists(testsDir)) {
    // Each environment's policies (variables expanded from its config) must pass the same expectations.
    const failed = new Map<string, string[]>();
    for (const env of environments) {
      for (const f of runPolicyTests(policiesFor(policies, env.config), testsDir)) failed.set(f, [...(failed.get(f) ?? []), env.file]);
    }
    for (const [f, files] of failed) {
      problems.push(`policy test failed${files.length < environments.length ? ` (${files.join(", ")})` : ""}: ${f}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
