/**
 * Every command the README and docs/ send people to exists: each `npm run <script>` is a script of package.json,
 * each workflow and script file named is in the repository, each Vault role named (`role=<name>`, "the Vault role
 * `<name>`") is a role the config stacks synthesize in every environment, each login mount (`-path=<mount>`) an auth
 * mount they create, and each service account named one the cluster stacks (or the chart) create.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { addEnvironment } from "../../stacks/environment";
import { SERVICE_ACCOUNTS } from "../../constructs/service-accounts";
import { configFor, defaultPolicies, ROOT, synthJson } from "../helpers";

const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const text = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** Every capture of `pattern` in every document, with where it was found. */
function mentions(pattern: RegExp): { name: string; file: string }[] {
  return DOCS.flatMap((file) => [...text(file).matchAll(pattern)].map((m) => ({ name: m[1], file })));
}

const ROLE_TYPES = ["vault_kubernetes_auth_backend_role", "vault_approle_auth_backend_role", "vault_jwt_auth_backend_role"];

describe("what README.md and docs/ mention exists", () => {
  const synthesized: { roles: Set<string>; mounts: Set<string>; serviceAccounts: Set<string> }[] = [];
  beforeAll(async () => {
    const policies = await defaultPolicies();
    for (const env of ["dev", "prod"] as const) {
      const stacks = addEnvironment(Testing.app(), configFor(env), policies);
      const config = synthJson(stacks.vaultConfig);
      const cluster = synthJson(stacks.cluster);
      const resources = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});
      synthesized.push({
        roles: new Set(ROLE_TYPES.flatMap((t) => resources(config, t).map((r) => r.role_name))),
        mounts: new Set([...resources(config, "vault_auth_backend"), ...resources(config, "vault_jwt_auth_backend")].map((m) => m.path)),
        // The chart creates the server's own service account; the stack creates the others.
        serviceAccounts: new Set([SERVICE_ACCOUNTS.vaultServer, ...resources(cluster, "kubernetes_service_account_v1").map((a) => a.metadata.name)]),
      });
    }
  });

  it("finds the documents and the references it checks", () => {
    expect(DOCS).toEqual(expect.arrayContaining(["README.md", "docs/runbooks.md", "docs/restore-drill.md"]));
    expect(mentions(/npm run (?:--silent )?([a-z][\w:-]*)/g).length).toBeGreaterThan(5);
    expect(mentions(/\brole=([a-z0-9-]+)/g).length).toBeGreaterThan(1);
  });

  it("every `npm run <script>` is a package.json script", () => {
    const scripts = Object.keys(JSON.parse(text("package.json")).scripts);
    const missing = mentions(/npm run (?:--silent )?([a-z][\w:-]*)/g).filter((m) => !scripts.includes(m.name));
    expect(missing).toEqual([]);
  });

  it("every workflow and script file named is in the repository", () => {
    const files = [...mentions(/(\.github\/workflows\/[\w.-]+\.ya?ml)/g), ...mentions(/(?<![\w/])((?:test\/)?scripts\/[\w.-]+\.(?:sh|js|ts))/g)];
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !existsSync(join(ROOT, f.name)))).toEqual([]);
  });

  it("every workflow job and runner named in the docs is in the workflows", () => {
    const jobs = readdirSync(join(ROOT, ".github/workflows")).flatMap((f) => [...text(`.github/workflows/${f}`).matchAll(/^ {2}([\w-]+):$/gm)].map((m) => m[1]));
    const named = mentions(/the `([\w-]+)` job/g);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((m) => !jobs.includes(m.name))).toEqual([]);
  });

  it("every Vault role named is synthesized in every environment", () => {
    const roles = [
      ...mentions(/\brole=([a-z0-9-]+)/g),
      ...mentions(/(?<!IRSA )\broles? `([a-z0-9-]+)`/g),
      ...mentions(/\bJWT roles `[a-z0-9-]+` \([^)]*\) and `([a-z0-9-]+)`/g),
    ];
    for (const env of synthesized) expect(roles.filter((r) => !env.roles.has(r.name))).toEqual([]);
  });

  it("every login mount (-path=<mount>) and auth/<mount>/login is an auth mount in every environment", () => {
    const mounts = [...mentions(/-path=([a-z0-9-]+)/g), ...mentions(/\bauth\/([a-z0-9-]+)\/login\b/g)];
    expect(mounts.length).toBeGreaterThan(0);
    for (const env of synthesized) expect(mounts.filter((m) => !env.mounts.has(m.name))).toEqual([]);
  });

  it("every service account named is created by the cluster stack or the chart", () => {
    const accounts = mentions(/service account `([a-z0-9-]+)`/g);
    expect(accounts.length).toBeGreaterThan(0);
    for (const env of synthesized) expect(accounts.filter((a) => !env.serviceAccounts.has(a.name))).toEqual([]);
  });

  it("claims nothing the stacks do not do: no break-glass workflow, and the bootstrap names its variables", () => {
    const all = DOCS.map(text).join("\n");
    expect(all).not.toMatch(/break-glass workflow/i);
    const bootstrap = text("README.md").slice(text("README.md").indexOf("## Bootstrap"));
    for (const v of ["TF_VAR_vault_login=token", "TF_VAR_database_root_password_", "TF_VAR_oidc_client_secret", "TF_VAR_vault_address"]) {
      expect(bootstrap).toContain(v);
    }
  });
});
