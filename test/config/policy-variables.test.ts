import { expandPathList, expandPolicyText, policyVariables } from "../../config/policy-variables";
import { configFor } from "../helpers";

const vars = new Map<string, readonly string[]>([
  ["kv_mounts", ["secret", "billing"]],
  ["envs", ["production", "staging"]],
  ["none", []],
]);

describe("policy variables", () => {
  it("derives the built-in variables from the environment's mounts", () => {
    const config = configFor("dev");
    const v = policyVariables(config);
    expect(v.get("kv_mounts")).toEqual(config.vault.kv.map((m) => m.path));
    expect(v.get("transit_mount")).toEqual([config.vault.transit!.path]);
    expect(v.get("pki_intermediate_mount")).toEqual([config.vault.pki!.intermediatePath]);
    expect(v.get("approle_auth_mount")).toEqual([config.vault.auth.approle.path]);
    for (const [name, values] of Object.entries(config.vault.policyVariables)) expect(v.get(name)).toEqual(values);
  });

  it("leaves the database, transit and PKI variables empty when those engines are not configured", () => {
    const v = policyVariables(
      configFor("dev", (c) => {
        delete c.vault.database;
        delete c.vault.transit;
        delete c.vault.pki;
        for (const a of c.applications) {
          a.transitKeys = [];
          a.databaseRoles = [];
        }
      }),
    );
    expect([v.get("database_mount"), v.get("transit_mount"), v.get("pki_root_mount")]).toEqual([[], [], []]);
  });

  it("writes a path block once per value, and a label with two variables once per combination", () => {
    const text = [
      "# CI: engine configuration of every KV mount",
      'path "{{config.kv_mounts}}/config" {',
      '  capabilities = ["read", "update"]',
      "}",
      'path "{{ config.kv_mounts }}/data/{{config.envs}}/*" {',
      '  capabilities = ["read"]',
      "}",
      'path "sys/mounts" {',
      '  capabilities = ["read"]',
      "}",
      "",
    ].join("\n");
    const { text: out, problems } = expandPolicyText(text, "p.hcl", vars);
    expect(problems).toEqual([]);
    expect([...out!.matchAll(/^path "([^"]+)"/gm)].map((m) => m[1])).toEqual([
      "secret/config",
      "billing/config",
      "secret/data/production/*",
      "secret/data/staging/*",
      "billing/data/production/*",
      "billing/data/staging/*",
      "sys/mounts",
    ]);
    expect(out).toContain('path "billing/config" {\n  capabilities = ["read", "update"]\n}');
    expect(out).toMatch(/^# CI: engine configuration of every KV mount\n/);
  });

  it("drops a block whose variable is an empty list, and leaves a text without variables as it is", () => {
    const text = 'path "{{config.none}}/keys/*" {\n  capabilities = ["read"]\n}\npath "a" {\n  capabilities = ["read"]\n}\n';
    expect(expandPolicyText(text, "p.hcl", vars).text).toBe('\npath "a" {\n  capabilities = ["read"]\n}\n');
    expect(expandPolicyText('path "a" { capabilities = ["read"] }', "p.hcl", vars).text).toBe('path "a" { capabilities = ["read"] }');
  });

  it("keeps blocks with nested maps and strings holding braces intact", () => {
    const text = 'path "{{config.kv_mounts}}/x" {\n  capabilities = ["update"]\n  allowed_parameters = {\n    "k" = ["}"]\n  }\n}\n';
    const out = expandPolicyText(text, "p.hcl", vars).text!;
    expect(out.match(/allowed_parameters/g)).toHaveLength(2);
    expect(out).toContain('path "billing/x" {\n  capabilities = ["update"]\n  allowed_parameters = {\n    "k" = ["}"]\n  }\n}');
  });

  it("fails if a variable is unknown, naming the file, the line and the known variables", () => {
    const { text, problems } = expandPolicyText('path "a" {\n  capabilities = ["read"]\n}\npath "{{config.kv_mount}}/config" {\n  capabilities = ["read"]\n}\n', "p.hcl", vars);
    expect(text).toBeUndefined();
    expect(problems).toEqual(["p.hcl:4: {{config.kv_mount}} is not a policy variable (known: kv_mounts, envs, none)"]);
  });

  it("fails if a variable stands inside a block instead of its label", () => {
    const { problems } = expandPolicyText('path "a/{{config.envs}}" {\n  capabilities = ["read"]\n  required_parameters = ["{{config.envs}}"]\n}\n', "p.hcl", vars);
    expect(problems).toEqual(["p.hcl:1: {{config.*}} may appear only in a path label, not inside the block"]);
  });

  it("expands path lists and reports unknown variables by index", () => {
    expect(expandPathList(["{{config.kv_mounts}}/config", "auth/token/create", "x/{{config.nope}}/"], vars)).toEqual({
      paths: ["secret/config", "billing/config", "auth/token/create"],
      unknown: [{ index: 2, names: ["nope"] }],
    });
  });
});
