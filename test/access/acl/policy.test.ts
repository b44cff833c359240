/**
 * Policy compilation against hashicorp/vault vault/policy_test.go (TestPolicy_Parse and its ParseBad* cases) and
 * the policy documentation (https://developer.hashicorp.com/vault/docs/concepts/policies).
 */
import { Acl } from "../../../access/acl/acl";
import { CAPABILITY_BITS as C, parseAclPolicy, parseDurationSeconds } from "../../../access/acl/policy";

// vault/policy_test.go rawPolicy, without its `name` line.
const rawPolicy = `
# Deny all paths by default
path "*" {
	policy = "deny"
}
path "stage/*" {
	policy = "sudo"
}
path "prod/version" {
	policy = "read"
}
path "/foo/bar" {
	policy = "read"
	min_wrapping_ttl = 300
	max_wrapping_ttl = "1h"
}
path "foo/bar" {
	capabilities = ["create", "sudo"]
	min_wrapping_ttl = "300s"
	max_wrapping_ttl = 3600
}
path "foo/bar" {
	capabilities = ["create", "sudo"]
	allowed_parameters = {
	  "zip" = []
	  "zap" = []
	}
}
path "baz/bar" {
	capabilities = ["create", "sudo"]
	denied_parameters = {
	  "zip" = []
	  "zap" = []
	}
}
path "test/types" {
	capabilities = ["create", "sudo"]
	allowed_parameters = {
		"map" = [{"good" = "one"}]
		"int" = [1, 2]
	}
	denied_parameters = {
		"string" = ["test"]
		"bool" = [false]
	}
}
`;

describe("compiling a policy (TestPolicy_Parse)", () => {
  // Rules come out in file order (HCL 1 keeps each block); order does not matter to the merge.
  it("strips the leading slash, marks prefix rules, maps legacy policies and parses TTLs", async () => {
    const { rules } = await parseAclPolicy("dev", rawPolicy);
    const summary = rules.map((r) => ({ path: r.path, isPrefix: r.isPrefix, caps: r.permissions.capabilities }));
    const byPath = (a: { path: string; caps: number }, b: { path: string; caps: number }) =>
      a.path.localeCompare(b.path) || a.caps - b.caps;
    expect(summary.sort(byPath)).toEqual(
      [
        { path: "", isPrefix: true, caps: C.deny },
        { path: "stage/", isPrefix: true, caps: C.create | C.read | C.update | C.delete | C.list | C.sudo },
        { path: "prod/version", isPrefix: false, caps: C.read | C.list },
        { path: "foo/bar", isPrefix: false, caps: C.read | C.list },
        { path: "foo/bar", isPrefix: false, caps: C.create | C.sudo },
        { path: "foo/bar", isPrefix: false, caps: C.create | C.sudo },
        { path: "baz/bar", isPrefix: false, caps: C.create | C.sudo },
        { path: "test/types", isPrefix: false, caps: C.create | C.sudo },
      ].sort(byPath),
    );
    const fooBar = rules.filter((r) => r.path === "foo/bar");
    const withTtl = fooBar.filter((r) => r.permissions.allowedParameters === undefined);
    expect(withTtl.map((r) => [r.permissions.minWrappingTtl, r.permissions.maxWrappingTtl])).toEqual([
      [300, 3600],
      [300, 3600],
    ]);
    const one = (path: string) => rules.find((r) => r.path === path)!.permissions;
    const params = (m?: ReadonlyMap<string, unknown>) => (m ? Object.fromEntries(m) : undefined);
    expect(params(fooBar.find((r) => r.permissions.allowedParameters)!.permissions.allowedParameters)).toEqual({ zip: [], zap: [] });
    expect(params(one("baz/bar").deniedParameters)).toEqual({ zip: [], zap: [] });
    expect(params(one("test/types").allowedParameters)).toEqual({ map: [{ good: "one" }], int: [1, 2] });
    expect(params(one("test/types").deniedParameters)).toEqual({ string: ["test"], bool: [false] });
  });

  it("merges the three foo/bar blocks into one rule", async () => {
    const acl = new Acl([await parseAclPolicy("dev", rawPolicy)]);
    expect(acl.capabilities("foo/bar")).toEqual(["sudo", "read", "list", "create"]);
    expect(acl.capabilities("/foo/bar")).toEqual(["sudo", "read", "list", "create"]);
  });

  it("marks + segment paths and keeps their trailing *", async () => {
    const { rules } = await parseAclPolicy("p", `path "test/+/wildcard/+/*" { capabilities = ["read"] }\npath "+" { capabilities = ["read"] }`);
    expect(rules.map((r) => [r.path, r.hasSegmentWildcards, r.isPrefix]).sort()).toEqual([
      ["+", true, false],
      ["test/+/wildcard/+/*", true, false],
    ]);
  });

  it("treats * anywhere but at the end as a literal character (the docs: only the last character globs)", async () => {
    const acl = new Acl([await parseAclPolicy("p", `path "secret/*/bar" { capabilities = ["read"] }`)]);
    expect(acl.allowOperation({ operation: "read", path: "secret/*/bar" }).allowed).toBe(true);
    expect(acl.allowOperation({ operation: "read", path: "secret/foo/bar" }).allowed).toBe(false);
  });

  it("matches + within one segment only (the docs' secret/+/teamb example)", async () => {
    const acl = new Acl([await parseAclPolicy("p", `path "secret/+/teamb" { capabilities = ["read"] }`)]);
    expect(acl.allowOperation({ operation: "read", path: "secret/foo/teamb" }).allowed).toBe(true);
    expect(acl.allowOperation({ operation: "read", path: "secret/bar/teamb" }).allowed).toBe(true);
    expect(acl.allowOperation({ operation: "read", path: "secret/foo/bar/teamb" }).allowed).toBe(false);
  });

  it("globs the rest of the path after a trailing * (the docs' secret/foo* example)", async () => {
    const acl = new Acl([await parseAclPolicy("p", `path "secret/foo*" { capabilities = ["read"] }`)]);
    for (const path of ["secret/foo", "secret/food", "secret/foo/bar"]) {
      expect(acl.allowOperation({ operation: "read", path }).allowed).toBe(true);
    }
    expect(acl.allowOperation({ operation: "read", path: "secret/fo" }).allowed).toBe(false);
  });
});

describe("parseDurationSeconds (parseutil.ParseDurationSecond)", () => {
  it.each([
    [300, 300],
    ["300", 300],
    ["300s", 300],
    ["1h", 3600],
    ["1h30m", 5400],
    ["2d", 172800],
    ["", 0],
  ])("%j → %s seconds", (value, seconds) => {
    expect(parseDurationSeconds(value)).toBe(seconds);
  });

  it("fails if the value is not a duration", () => {
    expect(() => parseDurationSeconds("soon")).toThrow(/not a duration: "soon"/);
  });
});

describe("invalid policies (TestPolicy_ParseBad*)", () => {
  it.each([
    ["an unknown key in a path block", `path "/" {\n  capabilities = ["read"]\n  capabilites = ["read"]\n}`, /path "\/": invalid key "capabilites"/],
    ["an unknown legacy policy", `path "/" {\n  policy = "banana"\n}`, /path "\/": invalid policy "banana"/],
    ["the legacy policy is \"list\" (Vault has no such legacy value)", `path "x" {\n  policy = "list"\n}`, /path "x": invalid policy "list"/],
    ["max_wrapping_ttl is below min_wrapping_ttl", `path "/" {\n  policy = "read"\n  min_wrapping_ttl = 400\n  max_wrapping_ttl = 200\n}`, /max_wrapping_ttl cannot be less than min_wrapping_ttl/],
    ["a capability is unknown", `path "/" {\n  capabilities = ["read", "banana"]\n}`, /path "\/": invalid capability "banana"/],
    ["a path holds +*", `path "foo/+*" {\n  capabilities = ["read"]\n}`, /invalid use of wildcards \('\+\*' is forbidden\)/],
    ["a wrapping TTL is not a duration", `path "x" {\n  capabilities = ["read"]\n  max_wrapping_ttl = "soon"\n}`, /error parsing max_wrapping_ttl/],
    ["allowed_parameters values are not lists", `path "x" {\n  capabilities = ["read"]\n  allowed_parameters = { "a" = "b" }\n}`, /path "x": At 3:\d+: unknown slice type: \*ast.LiteralType/],
  ])("fails if %s", async (_what, text, message) => {
    await expect(parseAclPolicy("bad", text)).rejects.toThrow(message);
  });

  it("fails if the HCL does not parse, naming the file", async () => {
    await expect(parseAclPolicy("bad", `path "x" {`, "bad.hcl")).rejects.toThrow(/bad\.hcl: failed to parse policy: At 1:12: object expected closing RBRACE got: EOF/);
  });
});
