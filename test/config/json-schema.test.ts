import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { renderJsonSchema } from "../../config/json-schema";
import { rawConfig } from "../helpers";

const CONFIG = join(__dirname, "../../config");

describe("config/environment.schema.json", () => {
  it("is the current rendering of the zod schema (run `npm run schema` after changing config/schema.ts)", () => {
    expect(readFileSync(join(CONFIG, "environment.schema.json"), "utf8")).toBe(renderJsonSchema());
  });

  it("rejects unknown keys for editors too", () => {
    const schema = JSON.parse(renderJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.cluster.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["environment", "cluster", "backup", "vault"]));
  });

  it.each(["dev.yaml", "prod.yaml"])("is referenced by %s for the YAML language server", (file) => {
    const firstLine = readFileSync(join(CONFIG, file), "utf8").split("\n")[0];
    expect(firstLine).toBe("# yaml-language-server: $schema=./environment.schema.json");
  });
});

describe("config/environment.schema.json says what synth says, where JSON Schema can", () => {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  const validate = ajv.compile(JSON.parse(renderJsonSchema()));
  /** The editor's errors for config/<env>.yaml after `edit`. */
  const editorErrors = (env: "dev" | "prod", edit: (raw: any) => void) => {
    const raw: any = rawConfig(env);
    edit(raw);
    validate(raw);
    // ajv adds an `if` entry ("must match then schema") above each failing branch: a heading, not an error of its own.
    return (validate.errors ?? []).filter((e) => e.keyword !== "if");
  };

  it.each(["dev", "prod"] as const)("accepts the committed %s config", (env) => {
    expect(editorErrors(env, () => undefined)).toEqual([]);
  });

  it("rejects an even number of replicas", () => {
    expect(editorErrors("prod", (c) => (c.cluster.replicas = 4)).map((e) => e.instancePath)).toEqual(["/cluster/replicas"]);
  });

  it("rejects a Vault address in config (the provider's address is derived)", () => {
    expect(editorErrors("dev", (c) => (c.vault.address = "https://vault.vault.svc:8200")).map((e) => e.instancePath)).toEqual(["/vault"]);
  });

  it("rejects a /0 CIDR binding and the default service account", () => {
    const approle = (c: any) => c.applications.findIndex((a: any) => a.auth.method === "approle");
    const k8s = (c: any) => c.applications.findIndex((a: any) => a.auth.method === "kubernetes");
    const raw: any = rawConfig("prod");
    const [a, k] = [approle(raw), k8s(raw)];
    const errors = editorErrors("prod", (c) => {
      c.applications[a].auth.tokenBoundCidrs = ["0.0.0.0/0"];
      c.applications[k].auth.serviceAccounts = ["default"];
    });
    expect(errors.map((e) => e.instancePath).sort()).toEqual(
      [`/applications/${a}/auth/tokenBoundCidrs/0`, `/applications/${k}/auth/serviceAccounts/0`].sort(),
    );
  });

  it("gives one or two editor errors for one AppRole typo, not one per auth method", () => {
    const raw: any = rawConfig("prod");
    const a = raw.applications.findIndex((x: any) => x.auth.method === "approle");
    const errors = editorErrors("prod", (c) => {
      c.applications[a].auth.secretIdTTL = c.applications[a].auth.secretIdTtl;
      delete c.applications[a].auth.secretIdTtl;
    });
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(2);
    expect(errors.every((e) => e.instancePath.startsWith(`/applications/${a}/auth`))).toBe(true);
  });
});
