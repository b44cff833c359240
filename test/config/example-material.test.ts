/**
 * No example secret material reaches an apply: a database connection whose CA is the example shipped in the default
 * configs fails validation (synth) unless the environment is a sandbox, naming the field and what to put there; a
 * connection whose CA is `pending` is left out of the stack with its roles, and the output says what is pending.
 */
import { Testing } from "cdktf";
import { validateEnvironment } from "../../config/load";
import { pendingItems } from "../../config/pending";
import { addEnvironment } from "../../stacks/environment";
import { configFor, defaultPolicies, rawConfig, resourcesOf, synthJson } from "../helpers";

/** The example CA as shipped (dev keeps it: a sandbox). */
const EXAMPLE_CA: string = (rawConfig("dev") as any).vault.database.connections[0].tlsCa;

function problemsOf(env: "dev" | "prod", edit: (raw: any) => void): string[] {
  const raw: any = rawConfig(env);
  edit(raw);
  return validateEnvironment(raw).problems;
}

describe("example material in database connections", () => {
  it("fails a non-sandbox environment whose connection trusts the shipped example CA, naming the field and what to put there", () => {
    const problems = problemsOf("prod", (raw) => {
      raw.vault.database.connections[0].tlsCa = EXAMPLE_CA;
      delete raw.sandbox;
    });
    expect(problems).toEqual([expect.stringMatching(/^vault\.database\.connections\[0\]\.tlsCa: is the example .*shipped with vault-platform.*PEM CA certificate that signs postgres\.phoenix-guardian\.svc's server certificate.*pending/)]);
  });

  it("finds the example among other certificates of a bundle", () => {
    const other = configFor("prod").vault.database!.connections[0];
    expect(other.tlsCa).toBe("pending");
    const problems = problemsOf("dev", (raw) => {
      raw.sandbox = false;
      raw.vault.database.connections[0].tlsCa = `${EXAMPLE_CA}\n${EXAMPLE_CA}`;
    });
    expect(problems).toHaveLength(1);
  });

  it("accepts the example in a sandbox (dev, which synthesizes on a fresh machine)", () => {
    expect(configFor("dev").sandbox).toBe(true);
    expect(problemsOf("dev", () => undefined)).toEqual([]);
  });

  it("defaults to not a sandbox", () => {
    expect(configFor("prod").sandbox).toBe(false);
  });
});

describe("a connection pending its CA (the shipped prod config)", () => {
  it("is left out of the config stack with its roles; the mount stays", async () => {
    const config = configFor("prod");
    const json = synthJson(addEnvironment(Testing.app(), config, await defaultPolicies()).vaultConfig);
    expect(Object.keys(resourcesOf(json, "vault_database_secret_backend_connection"))).toEqual([]);
    expect(Object.keys(resourcesOf(json, "vault_database_secret_backend_role"))).toEqual([]);
    expect(Object.values(resourcesOf(json, "vault_mount")).map((m: any) => m.path)).toContain(config.vault.database!.path);
    // No root password to ask for while nothing would receive it.
    expect(Object.keys(json.variable).filter((v) => v.startsWith("database_root_password_") && v !== "database_root_password_version")).toEqual([]);
  });

  it("says what is pending: the connection, its field, what to put there, and the roles left out", () => {
    const c = configFor("prod").vault.database!;
    expect(pendingItems(configFor("prod"))).toEqual([
      {
        item: `database connection ${c.connections[0].name}`,
        field: "vault.database.connections[0].tlsCa",
        awaiting: `the PEM CA certificate that signs ${c.connections[0].host}'s server certificate`,
        leftOut: c.roles.filter((r) => r.connection === c.connections[0].name).map((r) => `database role ${r.name}`),
      },
    ]);
    expect(pendingItems(configFor("dev"))).toEqual([]);
  });
});
