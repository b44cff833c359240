/**
 * The evaluator against Vault's own decisions. Every table below is transcribed from hashicorp/vault
 * vault/acl_test.go (TestACL_Capabilities, TestACL_Single, TestACL_Layered, TestACL_PolicyMerge,
 * TestACL_AllowOperation, TestACL_ValuePermissions, TestACL_SegmentWildcardPriority, TestACLGrantingPolicies),
 * policies and cases unchanged except that the policies' `name = "..."` lines are dropped (the project's policy
 * loader rejects that attribute; Vault ignores it for ACL decisions).
 */
import { Acl, type Operation } from "../../../access/acl/acl";
import type { JsonValue } from "../../../access/acl/glob";
import { type AclPolicy, parseAclPolicy } from "../../../access/acl/policy";

const aclPolicy = `
path "dev/*" {
	policy = "sudo"
}
path "stage/*" {
	policy = "write"
}
path "stage/aws/*" {
	policy = "read"
	capabilities = ["update", "sudo"]
}
path "stage/aws/policy/*" {
	policy = "sudo"
}
path "prod/*" {
	policy = "read"
}
path "prod/aws/*" {
	policy = "deny"
}
path "sys/*" {
	policy = "deny"
}
path "foo/bar" {
	capabilities = ["read", "create", "sudo"]
}
path "baz/quux" {
	capabilities = ["read", "create", "patch"]
}
path "test/+/segment" {
	capabilities = ["read"]
}
path "+/segment/at/front" {
	capabilities = ["read"]
}
path "test/segment/at/end/+" {
	capabilities = ["read"]
}
path "test/segment/at/end/v2/+/" {
	capabilities = ["read"]
}
path "test/+/wildcard/+/*" {
	capabilities = ["read"]
}
path "test/+/wildcardglob/+/end*" {
	capabilities = ["read"]
}
path "1/2/*" {
	capabilities = ["create"]
}
path "1/2/+" {
	capabilities = ["read"]
}
path "1/2/+/+" {
	capabilities = ["update", "recover"]
}
`;

const aclPolicy2 = `
path "dev/hide/*" {
	policy = "deny"
}
path "stage/aws/policy/*" {
	policy = "deny"
	# This should have no effect
	capabilities = ["read", "update", "sudo"]
}
path "prod/*" {
	policy = "write"
}
path "sys/seal" {
	policy = "sudo"
}
path "foo/bar" {
	capabilities = ["deny"]
}
path "baz/quux" {
	capabilities = ["deny"]
}
`;

const mergingPolicies = `
path "foo/bar" {
	policy = "write"
	denied_parameters = {
		"baz" = []
	}
	required_parameters = ["baz"]
}
path "foo/bar" {
	policy = "write"
	denied_parameters = {
		"zip" = []
	}
}
path "hello/universe" {
	policy = "write"
	allowed_parameters = {
		"foo" = []
	}
	required_parameters = ["foo"]
	max_wrapping_ttl = 300
	min_wrapping_ttl = 100
}
path "hello/universe" {
	policy = "write"
	allowed_parameters = {
		"bar" = []
	}
	required_parameters = ["bar"]
	max_wrapping_ttl = 200
	min_wrapping_ttl = 50
}
path "allow/all" {
	policy = "write"
	allowed_parameters = {
		"test" = []
		"test1" = ["foo"]
	}
}
path "allow/all" {
	policy = "write"
	allowed_parameters = {
		"*" = []
	}
}
path "allow/all1" {
	policy = "write"
	allowed_parameters = {
		"*" = []
	}
}
path "allow/all1" {
	policy = "write"
	allowed_parameters = {
		"test" = []
		"test1" = ["foo"]
	}
}
path "deny/all" {
	policy = "write"
	denied_parameters = {
		"test" = []
	}
}
path "deny/all" {
	policy = "write"
	denied_parameters = {
		"*" = []
	}
}
path "deny/all1" {
	policy = "write"
	denied_parameters = {
		"*" = []
	}
}
path "deny/all1" {
	policy = "write"
	denied_parameters = {
		"test" = []
	}
}
path "value/merge" {
	policy = "write"
	allowed_parameters = {
		"test" = [1, 2]
	}
	denied_parameters = {
		"test" = [1, 2]
	}
}
path "value/merge" {
	policy = "write"
	allowed_parameters = {
		"test" = [3, 4]
	}
	denied_parameters = {
		"test" = [3, 4]
	}
}
path "value/empty" {
	policy = "write"
	allowed_parameters = {
		"empty" = []
	}
	denied_parameters = {
		"empty" = [1]
	}
}
path "value/empty" {
	policy = "write"
	allowed_parameters = {
		"empty" = [1]
	}
	denied_parameters = {
		"empty" = []
	}
}
`;

const permissionsPolicy = `
path "dev/*" {
	policy = "write"
	allowed_parameters = {
		"zip" = []
	}
}
path "foo/bar" {
	policy = "write"
	denied_parameters = {
		"zap" = []
	}
	min_wrapping_ttl = 300
	max_wrapping_ttl = 400
}
path "foo/baz" {
	policy = "write"
	allowed_parameters = {
		"hello" = []
	}
	denied_parameters = {
		"zap" = []
	}
	min_wrapping_ttl = 300
}
path "working/phone" {
	policy = "write"
	max_wrapping_ttl = 400
}
path "broken/phone" {
	policy = "write"
	allowed_parameters = {
	  "steve" = []
	}
	denied_parameters = {
	  "steve" = []
	}
}
path "hello/world" {
	policy = "write"
	allowed_parameters = {
		"*" = []
	}
	denied_parameters = {
		"*" = []
	}
}
path "tree/fort" {
	policy = "write"
	allowed_parameters = {
		"*" = []
	}
	denied_parameters = {
		"foo" = []
	}
}
path "fruit/apple" {
	policy = "write"
	allowed_parameters = {
		"pear" = []
	}
	denied_parameters = {
		"*" = []
	}
}
path "cold/weather" {
	policy = "write"
	allowed_parameters = {}
	denied_parameters = {}
}
path "var/aws" {
	policy = "write"
	allowed_parameters = {
		"*" = []
	}
	denied_parameters = {
		"soft" = []
		"warm" = []
		"kitty" = []
	}
}
path "var/req" {
	policy = "write"
	required_parameters = ["foo"]
}
`;

const valuePermissionsPolicy = `
path "dev/*" {
	policy = "write"
	allowed_parameters = {
		"allow" = ["good"]
	}
}
path "foo/bar" {
	policy = "write"
	denied_parameters = {
		"deny" = ["bad*"]
	}
}
path "foo/baz" {
	policy = "write"
	allowed_parameters = {
		"ALLOW" = ["good"]
	}
	denied_parameters = {
		"dEny" = ["bad"]
	}
}
path "fizz/buzz" {
	policy = "write"
	allowed_parameters = {
		"allow_multi" = ["good", "good1", "good2", "*good3"]
		"allow" = ["good"]
	}
	denied_parameters = {
		"deny_multi" = ["bad", "bad1", "bad2"]
	}
}
path "test/types" {
	policy = "write"
	allowed_parameters = {
		"map" = [{"good" = "one"}]
		"int" = [1, 2]
		"bool" = [false]
	}
	denied_parameters = {
	}
}
path "test/star" {
	policy = "write"
	allowed_parameters = {
		"*" = []
		"foo" = []
		"bar" = [false]
	}
	denied_parameters = {
	}
}
`;

const grantingTestPolicy = `
path "kv/foo" {
	capabilities = ["update", "read"]
}

path "kv/path/*" {
	capabilities = ["read"]
}

path "kv/path/longer" {
	capabilities = ["update", "read"]
}

path "kv/path/longer2" {
	capabilities = ["update"]
}

path "kv/deny" {
	capabilities = ["deny"]
}

path "ns1/kv/foo" {
	capabilities = ["update", "read", "recover"]
}
`;

const grantingTestPolicyMerged = `
path "kv/foo" {
	capabilities = ["update", "read"]
}

path "kv/bar" {
	capabilities = ["update", "read"]
}

path "kv/path/*" {
	capabilities = ["read"]
}

path "kv/path/longer" {
	capabilities = ["read"]
}

path "kv/path/longer3" {
	capabilities = ["read"]
}

path "kv/deny" {
	capabilities = ["update"]
}
`;

async function acl(...texts: string[]): Promise<Acl> {
  const policies: AclPolicy[] = await Promise.all(texts.map((t, i) => parseAclPolicy(`p${i}`, t)));
  return new Acl(policies);
}

type Case = [Operation, string, boolean, boolean];

describe("TestACL_Capabilities", () => {
  it.each([
    ["dev", ["deny"]],
    ["dev/", ["sudo", "read", "list", "update", "delete", "create"]],
    ["stage/aws/test", ["sudo", "read", "list", "update"]],
  ])("capabilities on %s", async (path, expected) => {
    expect((await acl(aclPolicy)).capabilities(path)).toEqual(expected);
  });
});

describe("TestACL_Single", () => {
  const cases: Case[] = [
    ["read", "root", false, false],
    ["help", "root", true, false],

    ["read", "dev/foo", true, true],
    ["update", "dev/foo", true, true],

    ["delete", "stage/foo", true, false],
    ["list", "stage/aws/foo", true, true],
    ["update", "stage/aws/foo", true, true],
    ["update", "stage/aws/policy/foo", true, true],

    ["delete", "prod/foo", false, false],
    ["update", "prod/foo", false, false],
    ["read", "prod/foo", true, false],
    ["list", "prod/foo", true, false],
    ["read", "prod/aws/foo", false, false],

    ["read", "foo/bar", true, true],
    ["list", "foo/bar", false, true],
    ["update", "foo/bar", false, true],
    ["create", "foo/bar", true, true],

    ["read", "baz/quux", true, false],
    ["create", "baz/quux", true, false],
    ["patch", "baz/quux", true, false],
    ["list", "baz/quux", false, false],
    ["update", "baz/quux", false, false],

    // Path segment wildcards
    ["read", "test/foo/bar/segment", false, false],
    ["read", "test/foo/segment", true, false],
    ["read", "test/bar/segment", true, false],
    ["read", "test/segment/at/frond", false, false],
    ["read", "test/segment/at/front", true, false],
    ["read", "test/segment/at/end/foo", true, false],
    ["read", "test/segment/at/end/foo/", false, false],
    ["read", "test/segment/at/end/v2/foo/", true, false],
    ["read", "test/segment/wildcard/at/foo/", true, false],
    ["read", "test/segment/wildcard/at/end", true, false],
    ["read", "test/segment/wildcard/at/end/", true, false],

    // Path segment wildcards vs glob
    ["read", "1/2/3/4", false, false],
    ["read", "1/2/3", true, false],
    ["update", "1/2/3", false, false],
    ["update", "1/2/3/4", true, false],
    ["create", "1/2/3/4/5", true, false],
    ["recover", "1/2/3/4", true, false],
  ];
  it.each(cases)("%s %s → allowed %s, root_privs %s", async (operation, path, allowed, rootPrivs) => {
    expect((await acl(aclPolicy)).allowOperation({ operation, path })).toMatchObject({ allowed, rootPrivs });
  });
});

describe("TestACL_Layered (two policies merged)", () => {
  const cases: Case[] = [
    ["read", "root", false, false],
    ["help", "root", true, false],

    ["read", "dev/foo", true, true],
    ["update", "dev/foo", true, true],
    ["read", "dev/hide/foo", false, false],
    ["update", "dev/hide/foo", false, false],

    ["delete", "stage/foo", true, false],
    ["list", "stage/aws/foo", true, true],
    ["update", "stage/aws/foo", true, true],
    ["update", "stage/aws/policy/foo", false, false],

    ["delete", "prod/foo", true, false],
    ["update", "prod/foo", true, false],
    ["read", "prod/foo", true, false],
    ["list", "prod/foo", true, false],
    ["read", "prod/aws/foo", false, false],

    ["read", "sys/status", false, false],
    ["update", "sys/seal", true, true],

    ["read", "foo/bar", false, false],
    ["list", "foo/bar", false, false],
    ["update", "foo/bar", false, false],
    ["create", "foo/bar", false, false],

    ["read", "baz/quux", false, false],
    ["list", "baz/quux", false, false],
    ["update", "baz/quux", false, false],
    ["create", "baz/quux", false, false],
    ["patch", "baz/quux", false, false],
  ];
  it.each(cases)("%s %s → allowed %s, root_privs %s", async (operation, path, allowed, rootPrivs) => {
    expect((await acl(aclPolicy, aclPolicy2)).allowOperation({ operation, path })).toMatchObject({ allowed, rootPrivs });
  });

  it("gives the same answers whichever order the policies come in", async () => {
    const forward = await acl(aclPolicy, aclPolicy2);
    const reverse = await acl(aclPolicy2, aclPolicy);
    for (const [operation, path] of cases) {
      // Policy names follow the position (p0, p1), so compare the decisions.
      const decision = ({ allowed, rootPrivs }: { allowed: boolean; rootPrivs: boolean }) => ({ allowed, rootPrivs });
      expect(decision(reverse.allowOperation({ operation, path }))).toEqual(decision(forward.allowOperation({ operation, path })));
    }
  });
});

describe("TestACL_PolicyMerge (blocks of one path merged)", () => {
  const cases: [string, number | null, number | null, Record<string, JsonValue[]> | undefined, Record<string, JsonValue[]> | undefined, string[]][] = [
    ["foo/bar", null, null, undefined, { zip: [], baz: [] }, ["baz"]],
    ["hello/universe", 50, 200, { foo: [], bar: [] }, undefined, ["foo", "bar"]],
    ["allow/all", null, null, { "*": [], test: [], test1: ["foo"] }, undefined, []],
    ["allow/all1", null, null, { "*": [], test: [], test1: ["foo"] }, undefined, []],
    ["deny/all", null, null, undefined, { "*": [], test: [] }, []],
    ["deny/all1", null, null, undefined, { "*": [], test: [] }, []],
    ["value/merge", null, null, { test: [3, 4, 1, 2] }, { test: [3, 4, 1, 2] }, []],
    ["value/empty", null, null, { empty: [] }, { empty: [] }, []],
  ];
  it.each(cases)("%s: wrapping TTL min %s max %s, parameters merged", async (path, min, max, allowed, denied, required) => {
    const p = (await acl(mergingPolicies)).permissionsFor(path, "update")!;
    const asObject = (m?: Map<string, JsonValue[]>) => (m ? Object.fromEntries(m) : undefined);
    expect(asObject(p.allowedParameters)).toEqual(allowed);
    expect(asObject(p.deniedParameters)).toEqual(denied);
    expect(p.requiredParameters).toEqual(required);
    // Vault keeps the smaller of two set minima and of two set maxima; 0 means unset.
    expect([p.minWrappingTtl, p.maxWrappingTtl]).toEqual([min ?? 0, max ?? 0]);
  });
});

describe("TestACL_AllowOperation (parameters and wrapping TTLs; update and create)", () => {
  const cases: [string, number | undefined, string[], boolean][] = [
    ["dev/ops", undefined, ["zip"], true],
    ["foo/bar", undefined, ["zap"], false],
    ["foo/bar", undefined, ["zip"], false],
    ["foo/bar", 50, ["zip"], false],
    ["foo/bar", 450, ["zip"], false],
    ["foo/bar", 350, ["zip"], true],
    ["foo/baz", undefined, ["hello"], false],
    ["foo/baz", 50, ["hello"], false],
    ["foo/baz", 450, ["hello"], true],
    ["foo/baz", undefined, ["zap"], false],
    ["broken/phone", undefined, ["steve"], false],
    ["working/phone", undefined, [""], false],
    ["working/phone", 450, [""], false],
    ["working/phone", 350, [""], true],
    ["hello/world", undefined, ["one"], false],
    ["tree/fort", undefined, ["one"], true],
    ["tree/fort", undefined, ["foo"], false],
    ["fruit/apple", undefined, ["pear"], false],
    ["fruit/apple", undefined, ["one"], false],
    ["cold/weather", undefined, ["four"], true],
    ["var/aws", undefined, ["cold", "warm", "kitty"], false],
    ["var/req", undefined, ["cold", "warm", "kitty"], false],
    ["var/req", undefined, ["cold", "warm", "kitty", "foo"], true],
  ];
  it.each(cases)("%s wrap %s params %j → %s", async (path, wrapTtlSeconds, parameters, allowed) => {
    const a = await acl(permissionsPolicy);
    const data = Object.fromEntries(parameters.map((p) => [p, ""]));
    for (const operation of ["update", "create"] as const) {
      expect(a.allowOperation({ operation, path, data, wrapTtlSeconds }).allowed).toBe(allowed);
    }
  });
});

describe("TestACL_ValuePermissions (parameter values; update and create)", () => {
  const cases: [string, string[], JsonValue[], boolean][] = [
    ["dev/ops", ["allow"], ["good"], true],
    ["dev/ops", ["allow"], ["bad"], false],
    ["foo/bar", ["deny"], ["bad"], false],
    ["foo/bar", ["deny"], ["bad glob"], false],
    ["foo/bar", ["deny"], ["good"], true],
    ["foo/bar", ["allow"], ["good"], true],
    ["foo/bar", ["deny"], [null], true],
    ["foo/bar", ["allow"], [null], true],
    ["foo/baz", ["aLLow"], ["good"], true],
    ["foo/baz", ["deny"], ["bad"], false],
    ["foo/baz", ["deny"], ["good"], false],
    ["foo/baz", ["allow", "deny"], ["good", "bad"], false],
    ["foo/baz", ["deny", "allow"], ["good", "bad"], false],
    ["foo/baz", ["deNy", "allow"], ["bad", "good"], false],
    ["foo/baz", ["aLLow"], ["bad"], false],
    ["foo/baz", ["Neither"], ["bad"], false],
    ["foo/baz", ["allow"], [null], false],
    ["fizz/buzz", ["allow_multi"], ["good"], true],
    ["fizz/buzz", ["allow_multi"], ["good1"], true],
    ["fizz/buzz", ["allow_multi"], ["good2"], true],
    ["fizz/buzz", ["allow_multi"], ["glob good2"], false],
    ["fizz/buzz", ["allow_multi"], ["glob good3"], true],
    ["fizz/buzz", ["allow_multi"], ["bad"], false],
    ["fizz/buzz", ["allow_multi", "allow"], ["good1", "good"], true],
    ["fizz/buzz", ["deny_multi"], ["bad2"], false],
    ["fizz/buzz", ["deny_multi", "allow_multi"], ["good", "good2"], false],
    ["test/types", ["map"], [{ good: "one" }], true],
    ["test/types", ["map"], [{ bad: "one" }], false],
    // Vault's acl_test.go passes a Go int here; over the HTTP API the number is a json.Number and matches nothing.
    ["test/types", ["int"], [1], false],
    ["test/types", ["int"], [3], false],
    ["test/types", ["bool"], [false], true],
    ["test/types", ["bool"], [true], false],
    ["test/star", ["anything"], [true], true],
    ["test/star", ["foo"], [true], true],
    ["test/star", ["bar"], [false], true],
    ["test/star", ["bar"], [true], false],
  ];
  it.each(cases)("%s %j = %j → %s", async (path, parameters, values, allowed) => {
    const a = await acl(valuePermissionsPolicy);
    const data = Object.fromEntries(parameters.map((p, i) => [p, values[i]]));
    for (const operation of ["update", "create"] as const) {
      expect(a.allowOperation({ operation, path, data }).allowed).toBe(allowed);
    }
  });
});

describe("TestACL_SegmentWildcardPriority (the update rule is the more specific one)", () => {
  const cases: [string, string, string][] = [
    // '*' is more specific: same first-wildcard position, fewer '+' segments.
    [`path "+/*" { capabilities = ["read"] }\npath "*" { capabilities = ["update"] }`, "foo/bar/bar/baz", "first wildcard position"],
    [`path "+/*" { capabilities = ["read"] }\npath "foo/+/*" { capabilities = ["update"] }`, "foo/bar/bar/baz", "first wildcard position"],
    [`path "foo/+/+/*" { capabilities = ["read"] }\npath "foo/+/bar/baz" { capabilities = ["update"] }`, "foo/bar/bar/baz", "more wildcard segments"],
    [`path "foo/+/+/baz" { capabilities = ["read"] }\npath "foo/+/bar/baz" { capabilities = ["update"] }`, "foo/bar/bar/baz", "more wildcard segments"],
    // '(' sorts before '+', so lexical order would pick the wrong one.
    [`path "foo/+/(ar/baz" { capabilities = ["read"] }\npath "foo/(ar/+/baz" { capabilities = ["update"] }`, "foo/(ar/(ar/baz", "first wildcard position"],
    [`path "foo/bar/+/baz*" { capabilities = ["read"] }\npath "foo/bar/+/baz" { capabilities = ["update"] }`, "foo/bar/bar/baz", "a glob loses"],
    [`path "foo/bar/+/b*" { capabilities = ["read"] }\npath "foo/bar/+/ba*" { capabilities = ["update"] }`, "foo/bar/bar/baz", "a shorter prefix loses"],
  ];
  it.each(cases.map(([policy, path, why]) => [why, path, policy]))("%s: %s", async (_why, path, policy) => {
    const a = await acl(policy);
    expect(a.allowOperation({ operation: "update", path }).allowed).toBe(true);
    expect(a.allowOperation({ operation: "read", path }).allowed).toBe(false);
  });
});

describe("TestACLGrantingPolicies: the decision and the policies whose chosen rule grants it", () => {
  // p0 is grantingTestPolicy, p1 grantingTestPolicyMerged; granting policies come from the rule Vault chooses.
  const cases: [string, Operation, boolean, boolean, string[]][] = [
    ["kv/foo", "read", false, true, ["p0"]],
    ["kv/foo", "update", false, true, ["p0"]],
    ["kv/bad", "read", false, false, []],
    ["kv/deny", "read", false, false, []],
    ["kv/path/foo", "read", false, true, ["p0"]],
    ["kv/path/longer", "read", false, true, ["p0"]],
    ["kv/foo", "read", true, true, ["p0", "p1"]],
    // The exact rule is only in p1, so p0's kv/path/* does not count.
    ["kv/path/longer3", "read", true, true, ["p1"]],
    ["kv/bar", "read", true, true, ["p1"]],
    // A deny in one policy wins over an update in another.
    ["kv/deny", "read", true, false, []],
    ["kv/deny", "update", true, false, []],
    // Both policies hold kv/path/longer; only p0 grants update there.
    ["kv/path/longer", "update", true, true, ["p0"]],
    ["kv/path/longer", "read", true, true, ["p0", "p1"]],
    ["kv/path/foo", "read", true, true, ["p0", "p1"]],
    ["ns1/kv/foo", "recover", true, true, ["p0"]],
  ];
  it.each(cases)("%s %s (with merged policy: %s) → %s, granted by %j", async (path, operation, withMerged, allowed, granting) => {
    const a = withMerged ? await acl(grantingTestPolicy, grantingTestPolicyMerged) : await acl(grantingTestPolicy);
    expect(a.allowOperation({ operation, path })).toEqual({ allowed, rootPrivs: false, grantingPolicies: granting });
  });

  it("names the policies granting sudo on the chosen rule", async () => {
    const a = await acl('path "sys/audit/*" { capabilities = ["read", "sudo"] }', 'path "sys/audit/*" { capabilities = ["sudo"] }\npath "sys/audit/file" { capabilities = ["read"] }');
    expect(a.grantingPolicies("sys/audit/x", "update", "sudo")).toEqual(["p0", "p1"]);
    expect(a.grantingPolicies("sys/audit/file", "update", "sudo")).toEqual([]);
  });
});
