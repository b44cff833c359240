/**
 * One reproducer per class of disagreement with Vault 2.0.4's policy parser (issue #26), each checked against what
 * Vault does: vault/policy.go parsePaths on hashicorp/hcl v1.0.1-vault-7 (see config/hcl1/). The differential test
 * (test/access/acl/vault-differential.test.ts) checks the same against a Go reference on thousands of policies.
 */
import { Acl } from "../../../access/acl/acl";
import { CAPABILITY_BITS as C, parseAclPolicy } from "../../../access/acl/policy";

const expectRejected = (text: string, message: RegExp) => expect(parseAclPolicy("p", text)).rejects.toThrow(message);
const block = (body: string, path = "secret/x") => `path "${path}" {\n${body}\n}\n`;

describe("Vault rejects, so the access analysis rejects, with Vault's message", () => {
  it("refuses an argument set twice (the vault fork of hcl, parser.go objectList)", async () => {
    await expectRejected(block('  capabilities = ["read"]\n  capabilities = ["update"]'), /The argument "capabilities" at 3:3 was already set\. Each argument can only be defined once/);
  });
  it("refuses the path = { ... } form (CheckHCLKeys sees the label as a key)", async () => {
    await expectRejected('path = {\n  "secret/*" = { capabilities = ["read"] }\n}\n', /path "path": invalid key "secret\/\*" on line 2/);
  });
  it("refuses unbalanced {{ }} in a path (identitytpl validity check)", async () => {
    await expectRejected(block('  capabilities = ["read"]', "secret/{{identity.entity.id"), /failed to validate policy templating: unbalanced templating characters/);
    await expectRejected(block('  capabilities = ["read"]', "secret/}}x"), /unbalanced templating characters/);
  });
  it("refuses a name that is not a string or integer", async () => {
    await expectRejected(`name = 1.5\n${block('  capabilities = ["read"]')}`, /At 1:8: root\.name: unknown type for string \*ast\.LiteralType/);
  });
  it("refuses wrapping TTLs beyond int64 nanoseconds", async () => {
    await expectRejected(block('  capabilities = ["read"]\n  max_wrapping_ttl = "3000000h"'), /error parsing max_wrapping_ttl: time: invalid duration "3000000h"/);
    await expectRejected(block('  capabilities = ["read"]\n  max_wrapping_ttl = 10000000000'), /error parsing max_wrapping_ttl: multiplication of durations resulted in overflow/);
  });
  it("refuses a malformed control_group", async () => {
    await expectRejected(block('  capabilities = ["read"]\n  control_group = {}'), /no control group factors provided/);
    await expectRejected(block('  capabilities = ["read"]\n  control_group = { factor "a" { identity { approvals = 0 } } }'), /must provide more than one identity group and approvals > 0/);
    await expectRejected(block('  capabilities = ["read"]\n  control_group = "x"'), /not an object type for struct/);
  });
  it("refuses wrong value types for mfa_methods and subscribe_event_types", async () => {
    await expectRejected(block('  capabilities = ["read"]\n  mfa_methods = "totp"'), /unknown slice type: \*ast\.LiteralType/);
    await expectRejected(block('  capabilities = ["subscribe"]\n  subscribe_event_types = [true]'), /subscribe_event_types\[0\]: unknown type for string \*ast\.LiteralType/);
  });
});

describe("Vault accepts, so the access analysis accepts, and reads it as Vault does", () => {
  it("takes the first of several labels", async () => {
    expect((await parseAclPolicy("p", 'path "a" "b" {\n  capabilities = ["read"]\n}\n')).rules.map((r) => r.path)).toEqual(["a"]);
  });
  it("reads an unlabelled path block as a rule for the literal path `path`", async () => {
    expect((await parseAclPolicy("p", 'path {\n  capabilities = ["read"]\n}\n')).rules.map((r) => r.path)).toEqual(["path"]);
  });
  it("reads required_parameters = [1] as the parameter named 1", async () => {
    expect((await parseAclPolicy("p", block('  capabilities = ["read"]\n  required_parameters = [1]'))).rules[0].permissions.requiredParameters).toEqual(["1"]);
  });
  it("reads integers beyond 32 bits", async () => {
    const p = await parseAclPolicy("p", block('  capabilities = ["update"]\n  allowed_parameters = { n = [4294967296] }\n  max_wrapping_ttl = 4294967296'));
    expect(p.rules[0].permissions.allowedParameters).toEqual(new Map([["n", [4294967296]]]));
    expect(p.rules[0].maxWrappingTtlNs).toBe(4294967296n * 1_000_000_000n);
  });
});

describe("read as Vault reads them, changing decisions", () => {
  it("merges a parameter map written twice, once quoted: owner=root stays denied", async () => {
    const p = await parseAclPolicy("p", block('  capabilities = ["update"]\n  denied_parameters = { owner = ["root"] }\n  "denied_parameters" = { owner = ["admin"] }'));
    expect(p.rules[0].permissions.deniedParameters).toEqual(new Map([["owner", ["root", "admin"]]]));
    expect(new Acl([p]).allowOperation({ path: "secret/x", operation: "update", data: { owner: "root" } }).allowed).toBe(false);
  });
  it("keeps __proto__ as a path label and as a parameter name", async () => {
    const p = await parseAclPolicy("p", block('  capabilities = ["update"]\n  denied_parameters = { "__proto__" = [] }', "__proto__"));
    expect(p.rules.map((r) => r.path)).toEqual(["__proto__"]);
    const data = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    expect(new Acl([p]).allowOperation({ path: "__proto__", operation: "update", data }).allowed).toBe(false);
    expect(new Acl([p]).allowOperation({ path: "__proto__", operation: "update", data: { other: "x" } }).allowed).toBe(true);
  });
  it("truncates fractional numeric TTLs to whole seconds: a 1.2 s wrap under max_wrapping_ttl = 1.5 is denied", async () => {
    const p = await parseAclPolicy("p", block('  capabilities = ["read"]\n  max_wrapping_ttl = 1.5'));
    expect(p.rules[0].permissions.maxWrappingTtl).toBe(1);
    expect(new Acl([p]).allowOperation({ path: "secret/x", operation: "read", wrapTtlSeconds: 1.2 }).allowed).toBe(false);
    expect(p.rules[0].permissions.capabilities).toBe(C.read);
  });
});
