/** The on-disk parse cache: same results as the parsers, errors never stored, and no parser loaded on a hit. */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { parseYaml, readParsed, stringifyYaml, YAML } from "../../config/parse-cache";
import { loadPolicies } from "../../config/policies";
import { ROOT } from "../helpers";

/** A document no earlier run has cached. */
const fresh = (body: string) => `# ${randomUUID()}\n${body}`;

describe("parse cache", () => {
  afterEach(() => {
    delete process.env.VAULT_PLATFORM_CACHE;
  });

  it("stores a YAML parse and returns the same value for the same text, and nothing for another text", () => {
    const text = fresh("a: [1, two, { c: true }]\nb: null\n");
    expect(readParsed(YAML, text)).toBeUndefined();
    expect(parseYaml(text)).toEqual(parse(text));
    expect(readParsed(YAML, text)).toEqual(parse(text));
    expect(parseYaml(text)).toEqual(parse(text));
    expect(readParsed(YAML, `${text}c: 1\n`)).toBeUndefined();
  });

  it("writes YAML as `yaml` does, from the cache the second time, with the options in the key", () => {
    const value = { id: randomUUID(), server: { config: "listener \"tcp\" {\n  address = \"[::]:8200\"\n}\n" }, list: [1, "two"], gone: undefined };
    const options = { lineWidth: 0, aliasDuplicateObjects: false } as const;
    const kind = `${YAML} stringify ${JSON.stringify(options)}`;
    expect(readParsed(kind, JSON.stringify(value))).toBeUndefined();
    expect(stringifyYaml(value, options)).toBe(stringify(value, options));
    expect(readParsed(kind, JSON.stringify(value))).toBe(stringify(value, options));
    expect(stringifyYaml(value, options)).toBe(stringify(value, options));
    expect(stringifyYaml(value, { lineWidth: 20 })).toBe(stringify(value, { lineWidth: 20 }));
  });

  it("stores no value JSON cannot carry (it is parsed again each time)", () => {
    const text = fresh("a: .inf\n");
    expect(parseYaml(text)).toEqual({ a: Infinity });
    expect(readParsed(YAML, text)).toBeUndefined();
  });

  it("stores nothing and reads nothing with VAULT_PLATFORM_CACHE=0", () => {
    const text = fresh("a: 1\n");
    process.env.VAULT_PLATFORM_CACHE = "0";
    expect(parseYaml(text)).toEqual({ a: 1 });
    delete process.env.VAULT_PLATFORM_CACHE;
    expect(readParsed(YAML, text)).toBeUndefined();
  });

  it("reads policies and a server config, even with the cache off, without loading the WebAssembly HCL 2 parser", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vault-platform-cache-"));
    writeFileSync(join(dir, "app.hcl"), fresh('path "kv/data/app/*" {\n  capabilities = ["read"]\n}\n'));
    const serverConfig = fresh('listener "tcp" {\n  tls_min_version = "tls13"\n}\n');
    const script = `const policies = require("./config/policies.ts");
    const hcl = require("./config/hcl.ts");
    const cached = require.cache;
    policies.loadPolicies(${JSON.stringify(dir)}).then((p) => {
      const loaded = (m) => Object.keys(cached).some((f) => f.includes(m));
      const tls = hcl.parsedHcl(${JSON.stringify(serverConfig)}).value.listener[0].tcp[0].tls_min_version;
      process.stdout.write(JSON.stringify({ policies: [...p.keys()], tls, hcl2: loaded("@cdktf/hcl2json/lib/") }));
      process.exit(0);
    });`;
    const run = (env: Record<string, string>) => {
      const r = spawnSync(process.execPath, ["--require", "./scripts/register-ts.js", "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
      expect(r.stderr).toBe("");
      return JSON.parse(r.stdout);
    };
    expect(run({ VAULT_PLATFORM_CACHE: "0" })).toEqual({ policies: ["app"], tls: "tls13", hcl2: false });
    expect(run({})).toEqual({ policies: ["app"], tls: "tls13", hcl2: false });
    expect([...(await loadPolicies(dir)).keys()]).toEqual(["app"]);
  });
});
