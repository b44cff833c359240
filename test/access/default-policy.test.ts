/** Vault's built-in `default` policy: the data file, its version against the pinned image, and what it grants. */
import { readFileSync } from "node:fs";
import { Acl } from "../../access/acl/acl";
import { DEFAULT_POLICY_FILE, DEFAULT_POLICY_VAULT_VERSION, defaultPolicy, isTemplated } from "../../access/default-policy";
import { configFor } from "../helpers";

describe("Vault's default policy", () => {
  it.each(["dev", "prod"] as const)("is the text of the Vault release the %s config runs (its image tag)", (env) => {
    expect(configFor(env).cluster.image.tag).toBe(DEFAULT_POLICY_VAULT_VERSION);
    expect(readFileSync(DEFAULT_POLICY_FILE, "utf8")).toMatch(new RegExp(`hashicorp/vault ${DEFAULT_POLICY_VAULT_VERSION.replace(/\./g, "\\.")}\\b`));
  });

  it("parses as Vault parses it, with its two identity-templated paths recognised", () => {
    const { paths, compiled } = defaultPolicy();
    expect(compiled.name).toBe("default");
    expect(paths).toContain("auth/token/renew-self");
    expect(paths.filter(isTemplated)).toEqual(["identity/entity/id/{{identity.entity.id}}", "identity/entity/name/{{identity.entity.name}}"]);
  });

  it("lets a token manage itself, its cubbyhole and wrapping, and read only its own entity", () => {
    const acl = new Acl([defaultPolicy().compiled]);
    const allowed = (operation: "read" | "update" | "list" | "create", path: string) => acl.allowOperation({ operation, path }).allowed;
    expect(allowed("update", "auth/token/renew-self")).toBe(true);
    expect(allowed("read", "auth/token/lookup-self")).toBe(true);
    expect(allowed("create", "cubbyhole/notes")).toBe(true);
    expect(allowed("update", "sys/wrapping/unwrap")).toBe(true);
    expect(allowed("update", "identity/oidc/provider/default/authorize")).toBe(true);
    // The template is filled in with the token's own entity (none here: the path is left out, as Vault does).
    expect(allowed("read", "identity/entity/id/{{identity.entity.id}}")).toBe(false);
    const own = new Acl([defaultPolicy().compiled], { entity: { id: "6a1d0e52-own", name: "svc" } });
    expect(own.allowOperation({ operation: "read", path: "identity/entity/id/6a1d0e52-own" }).allowed).toBe(true);
    expect(own.allowOperation({ operation: "read", path: "identity/entity/name/svc" }).allowed).toBe(true);
    expect(own.allowOperation({ operation: "read", path: "identity/entity/id/6a1d0e52-another" }).allowed).toBe(false);
    expect(own.allowOperation({ operation: "read", path: "identity/entity/name/someone-else" }).allowed).toBe(false);
    // Nothing beyond.
    expect(allowed("read", "sys/mounts")).toBe(false);
    expect(allowed("update", "auth/token/create")).toBe(false);
    expect(allowed("list", "cubbyhole")).toBe(false);
  });
});
