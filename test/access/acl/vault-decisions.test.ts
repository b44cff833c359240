/**
 * Decisions where Vault 2.0.4's vault/acl.go differs from older ACL code (issue #26 point 3), each a reproducer:
 * LIST on a path ending in `/` ranks the trimmed and the full path's rules together with the most specific deny
 * first (`resolveACLPermsForListOp`), `policies` / `token_policies` values are lower-cased before matching
 * (`normalizePolicyParameterValue`), templated paths are filled in per entity and never matched literally
 * (vault/policy_store.go, identitytpl), and numbers in request data are json.Number over HTTP.
 */
import { Acl, type AclRequest } from "../../../access/acl/acl";
import { parseAclPolicy } from "../../../access/acl/policy";
import type { Entity } from "../../../access/acl/template";

async function acl(texts: string[], entity?: Entity): Promise<Acl> {
  return new Acl(await Promise.all(texts.map((t, i) => parseAclPolicy(`p${i}`, t))), { entity });
}
const allowed = (a: Acl, request: AclRequest) => a.allowOperation(request).allowed;

describe("LIST on a path ending in / (vault/acl.go resolveACLPermsForListOp)", () => {
  it("lets a more specific deny win over a broader list grant reached through the trimmed path", async () => {
    const a = await acl(['path "secret/metadata/*" { capabilities = ["list"] }', 'path "secret/metadata/private/*" { capabilities = ["deny"] }']);
    expect(allowed(a, { path: "secret/metadata/private/", operation: "list" })).toBe(false);
    expect(allowed(a, { path: "secret/metadata/public/", operation: "list" })).toBe(true);
    expect(a.capabilities("secret/metadata/private/")).toEqual(["deny"]);
  });
  it("still grants LIST through a `+` rule that only the trimmed path matches (VAULT-3825)", async () => {
    const a = await acl(['path "kv1/+" { capabilities = ["list"] }', 'path "kv1/private/*" { capabilities = ["read"] }']);
    expect(allowed(a, { path: "kv1/private/", operation: "list" })).toBe(true);
  });
  it("lets a broader deny lose to a more specific list grant", async () => {
    const a = await acl(['path "secret/*" { capabilities = ["deny"] }', 'path "secret/metadata/team/*" { capabilities = ["list"] }']);
    expect(allowed(a, { path: "secret/metadata/team/", operation: "list" })).toBe(true);
  });
});

describe("policies and token_policies values are lower-cased (normalizePolicyParameterValue)", () => {
  it("denies policies=ROOT and token_policies=[Root] under a root deny", async () => {
    const a = await acl(['path "auth/token/create" {\n  capabilities = ["update"]\n  denied_parameters = { policies = ["root"], token_policies = ["root"] }\n}']);
    expect(allowed(a, { path: "auth/token/create", operation: "update", data: { policies: "ROOT" } })).toBe(false);
    expect(allowed(a, { path: "auth/token/create", operation: "update", data: { token_policies: ["Root"] } })).toBe(false);
    expect(allowed(a, { path: "auth/token/create", operation: "update", data: { policies: "Default" } })).toBe(true);
  });
  it("matches an allowed list case-insensitively for these two parameters only", async () => {
    const a = await acl(['path "auth/approle/role/x" {\n  capabilities = ["update"]\n  allowed_parameters = { token_policies = ["app"], name = ["app"] }\n}']);
    expect(allowed(a, { path: "auth/approle/role/x", operation: "update", data: { token_policies: "APP" } })).toBe(true);
    expect(allowed(a, { path: "auth/approle/role/x", operation: "update", data: { name: "APP" } })).toBe(false);
  });
});

describe("templated paths are filled in for the token's entity, never matched literally", () => {
  const templated = 'path "secret/data/{{identity.entity.id}}/*" { capabilities = ["read"] }';
  it("matches the entity's own path, not the literal template, and not without an entity", async () => {
    const withEntity = await acl([templated], { id: "e-1" });
    expect(allowed(withEntity, { path: "secret/data/e-1/x", operation: "read" })).toBe(true);
    expect(allowed(withEntity, { path: "secret/data/{{identity.entity.id}}/x", operation: "read" })).toBe(false);
    const noEntity = await acl([templated]);
    expect(allowed(noEntity, { path: "secret/data/{{identity.entity.id}}/x", operation: "read" })).toBe(false);
  });
  it("leaves a path out when the value is missing or holds a glob, and keeps the policy's other paths", async () => {
    const a = await acl([`${templated}\npath "secret/data/{{identity.entity.metadata.team}}" { capabilities = ["read"] }\npath "shared/*" { capabilities = ["read"] }`], {
      id: "a*",
    });
    expect(allowed(a, { path: "secret/data/a*/x", operation: "read" })).toBe(false);
    expect(allowed(a, { path: "shared/x", operation: "read" })).toBe(true);
  });
  it("fills in aliases and groups", async () => {
    const a = await acl(['path "kv/{{identity.entity.aliases.auth_k8s_1.metadata.service_account_name}}/{{identity.groups.names.ops.id}}" { capabilities = ["read"] }'], {
      id: "e",
      aliases: [{ mountAccessor: "auth_k8s_1", metadata: { service_account_name: "app" } }],
      groups: [{ id: "g-9", name: "ops" }],
    });
    expect(allowed(a, { path: "kv/app/g-9", operation: "read" })).toBe(true);
  });
});

describe("numbers in request data are json.Number over Vault's HTTP API", () => {
  it("never match a numeric value of allowed_parameters, and never trigger a numeric denied value", async () => {
    const a = await acl(['path "x" {\n  capabilities = ["update"]\n  allowed_parameters = { n = [1, 2] }\n}', 'path "y" {\n  capabilities = ["update"]\n  denied_parameters = { n = [1] }\n}']);
    expect(allowed(a, { path: "x", operation: "update", data: { n: 1 } })).toBe(false);
    expect(allowed(a, { path: "x", operation: "update", data: { n: [1] } })).toBe(false);
    expect(allowed(a, { path: "y", operation: "update", data: { n: 1 } })).toBe(true);
  });
});
