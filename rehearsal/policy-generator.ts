/**
 * A grammar of Vault ACL policy texts for the differential test (test/access/acl/vault-differential.test.ts):
 * HCL 1 as people write it and as it goes wrong. Path blocks with odd labels (globs, `+`, a leading `/`,
 * templating, unicode and escapes, `__proto__`, extra or missing labels), every path key with values of the right
 * and wrong types, objects with and without commas, lists with and without trailing commas, heredocs, all three
 * comment kinds, arguments set twice (quoted and not), the `path = {...}` form, the JSON form, CRLF, and random
 * one-character mutations of all that. Seeded fast-check arbitraries, so a run is reproducible.
 */
import fc from "fast-check";

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);

const comment = pick("# note", "// note", "/* note */", "/* multi\n line */", "#", "# é ü 日本");
const ws = pick(" ", "  ", "\t", "");
const nl = pick("\n", "\n\n", " \n", "\r\n", "\n# between\n", "\n// between\n", " /* c */\n");

/** A quoted HCL string with a body drawn from `body`. */
const quoted = (body: fc.Arbitrary<string>) => body.map((s) => `"${s}"`);

/** Mostly `good`, sometimes `bad` (so most policies parse and the rest fail in varied ways). */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: bad });

const pathLabel = mostly(
  pick(
    "secret/data/app",
    "secret/data/app/*",
    "secret/metadata/*",
    "/secret/x",
    "secret/+/config",
    "secret/+/conf*",
    "+",
    "+/x",
    "*",
    "",
    "sys/*",
    "auth/token/create",
    "secret/{{identity.entity.id}}/*",
    "secret/{{identity.entity.name}}",
    "secret/{{a}}{{b}}",
    "__proto__",
    "constructor",
    "secret/日本/*",
    "secret/\\u00e9t\\u00e9",
    "secret/\\x41",
    "secret/tab\\there",
    "secret/${var}",
    "secret/a b",
  ),
  pick("secret/+*", "secret/{{identity.entity.id", "secret/}}x", "secret/{{a}}}}", "secret/\\q"),
);

const capability = mostly(pick("read", "list", "create", "update", "delete", "patch", "sudo", "deny", "subscribe", "recover"), pick("root", "Read", "", "write"));

const scalar = fc.oneof(
  { weight: 6, arbitrary: quoted(pick("x", "root", "*", "a*", "*b", "", "1", "1h", "é", "a,b", "\\\"q\\\"")) },
  { weight: 6, arbitrary: pick("1", "0", "-1", "42", "0x1F", "017", "1.5", "2.0", "1e3", "true", "false", "4294967296", "9007199254740993", "99999999999999999999") },
  { weight: 2, arbitrary: pick("<<EOT\nheredoc\nEOT\n", "<<-EOT\n    indented\n    EOT\n", "<<-EOT\n  a\n    b\n  EOT\n", "<<EOT\nx\n  EOT\n", "<<-E1\n\tt\n\tE1\n") },
  {
    weight: 1,
    arbitrary: fc.oneof(
      quoted(pick("\\101", "\\u00e9", "\\U0001F600", "\\x41", "${a}", "${a{b}}", "\\ud800", "日本", "\\t\\n", "a\\\\b")),
      pick("0x", "1e", "1e+", ".5", "-.5", "1.e5", "08", "0.5e-3", "-0", "00", "0X1f", "1E5", "-9223372036854775808", "9223372036854775808"),
    ),
  },
);

const list = (el: fc.Arbitrary<string>) =>
  fc.tuple(fc.array(el, { maxLength: 4 }), fc.boolean(), ws).map(([xs, trailing, w]) => `[${w}${xs.join(`,${w}`)}${trailing && xs.length > 0 ? "," : ""}${w}]`);

const objectOf = (entry: fc.Arbitrary<string>) =>
  fc.tuple(fc.array(entry, { maxLength: 3 }), pick(", ", "\n", " ", ",\n")).map(([xs, sep]) => `{ ${xs.join(sep)} }`);

/** Parameter names; none differ only in case (Vault keeps one of two such names at random: Go map order). */
const paramName = pick("owner", "Team", "ttl", "\"*\"", "__proto__", '"quoted-name"', '"a.b"', "name", "num_uses");
const paramValue = fc.oneof(list(scalar), list(objectOf(fc.tuple(pick("k", "good"), scalar).map(([k, v]) => `${k} = ${v}`))), scalar, pick("{}", "[[1], 2]"));
const params = objectOf(fc.tuple(paramName, paramValue).map(([k, v]) => `${k} = ${v}`));

const ttl = mostly(
  pick("300", "1.5", "0.9", "-5", "0", '"1h"', '"90s"', '"2d"', '"1.5h"', '""', '"300"', '"1h30m"', '"1500ms"', '"-1m"', '"9223372036s"', "4294967296", "1e3"),
  fc.oneof(pick("10000000000", '"3000000h"', '"soon"', "true", '"1x"', '"106752d"', "[1]", "{}"), scalar),
);

const controlGroup = pick(
  "{}",
  '{ factor "ops" { identity { group_names = ["ops"] approvals = 1 } } }',
  '{ ttl = "1h" factor "ops" { identity { group_ids = ["x"] approvals = 2 } controlled_capabilities = ["read"] } }',
  '{ factor "ops" { identity { approvals = 0 } } }',
  '{ factor "ops" { controlled_capabilities = ["sudo"] identity { group_names = ["a"] approvals = "1" } } }',
  '"x"',
  '{ ttl = "soon" factor "a" { identity { group_names = ["a"] approvals = 1 } } }',
  '{ factor = { ops = { identity = { group_ids = ["g"], approvals = "0x2" } } } }',
  '{ factor "a" { identity { group_names = ["a"] approvals = 1 } } "factor" "a" { controlled_capabilities = ["read"] } }',
  '{ factor "a" "b" { identity { group_names = ["a"] approvals = 1 } } }',
  '{ factor "a" { identity { group_names = ["a"] } identity { approvals = 1 } } }',
);

/** One `key = value` (or block) line of a path body. */
const attribute = fc.oneof(
  { weight: 8, arbitrary: list(quoted(capability)).map((v) => `capabilities = ${v}`) },
  { weight: 1, arbitrary: list(fc.oneof(quoted(capability), pick("1", "true"))).map((v) => `capabilities = ${v}`) },
  { weight: 1, arbitrary: pick('"read"', '"write"', '"sudo"', '"deny"', '"list"', "1", '""').map((v) => `policy = ${v}`) },
  { weight: 2, arbitrary: fc.tuple(pick("min_wrapping_ttl", "max_wrapping_ttl"), ttl).map(([k, v]) => `${k} = ${v}`) },
  { weight: 2, arbitrary: fc.tuple(pick("allowed_parameters", "denied_parameters", '"allowed_parameters"', '"denied_parameters"'), params).map(([k, v]) => `${k} = ${v}`) },
  { weight: 1, arbitrary: fc.tuple(pick("allowed_parameters", "denied_parameters"), params).map(([k, v]) => `${k} ${v}`) },
  { weight: 1, arbitrary: list(fc.oneof(quoted(paramName.map((n) => n.replace(/"/g, ""))), pick("1", "1.5", "true"))).map((v) => `required_parameters = ${v}`) },
  { weight: 1, arbitrary: fc.tuple(pick("mfa_methods", "subscribe_event_types"), fc.oneof(list(quoted(pick("totp", "kv*", "*"))), pick('"x"', "[true]", "[1]"))).map(([k, v]) => `${k} = ${v}`) },
  { weight: 1, arbitrary: fc.tuple(controlGroup, fc.boolean()).map(([v, block]) => (block && v.startsWith("{") ? `control_group ${v}` : `control_group = ${v}`)) },
  { weight: 1, arbitrary: fc.tuple(pick("allowed_parameters", "denied_parameters"), paramName, paramValue).map(([k, n, v]) => `${k} "${n.replace(/"/g, "")}" { x = ${v} }`) },
  { weight: 1, arbitrary: pick('comment = "why"', "comment = <<EOT\nlong\nEOT\n", "comment = 1", "ttl = 1", "Capabilities = []") },
);

const keyOf = (attr: string) => attr.replace(/^"/, "").split(/[ "=]/)[0];
const body = fc
  .tuple(fc.uniqueArray(attribute, { maxLength: 5, selector: keyOf }), fc.array(nl, { minLength: 5, maxLength: 5 }), fc.option(comment, { nil: undefined }), fc.nat(7))
  .map(([attrs, seps, c, dupChance]) => {
    const dup = dupChance === 0;
    const lines = dup && attrs.length > 0 ? [...attrs, attrs[0].replace(/^(\w+)/, (m) => (attrs.length % 2 ? `"${m}"` : m))] : attrs;
    return `{${seps[0]}${lines.map((a, i) => `  ${a}${seps[(i + 1) % 5]}`).join("")}${c ? `${c}\n` : ""}}`;
  });

const pathBlock = fc.oneof(
  { weight: 40, arbitrary: fc.tuple(pathLabel, ws, body).map(([l, w, b]) => `path "${l}"${w || " "}${b}`) },
  { weight: 1, arbitrary: fc.tuple(pathLabel, pathLabel, body).map(([a, b, x]) => `path "${a}" "${b}" ${x}`) },
  { weight: 1, arbitrary: body.map((b) => `path ${b}`) },
  { weight: 1, arbitrary: fc.tuple(pathLabel, body).map(([l, b]) => `path = { "${l}" = ${b} }`) },
  { weight: 1, arbitrary: fc.tuple(pathLabel, body).map(([l, b]) => `path "${l}" = ${b}`) },
);

const topItem = fc.oneof(
  { weight: 10, arbitrary: pathBlock },
  { weight: 1, arbitrary: fc.oneof(scalar, pick("{}", "[]")).map((v) => `name = ${v}`) },
  { weight: 1, arbitrary: comment },
  { weight: 1, arbitrary: mostly(comment, pick('bad = "x"', 'Path "a" { capabilities = ["read"] }')) },
);

const hclPolicy = fc.tuple(fc.array(topItem, { minLength: 1, maxLength: 5 }), nl).map(([items, sep]) => items.join(sep) + sep);

const jsonPolicy = fc
  .tuple(fc.array(fc.tuple(pathLabel, fc.array(quoted(capability), { maxLength: 3 }), fc.option(pick('"1h"', "300", "1.5", '"x"'), { nil: undefined })), { maxLength: 3 }), fc.boolean())
  .map(([paths, named]) => {
    const entries = paths.map(([l, caps, t]) => `"${l}": {"capabilities": [${caps.join(", ")}]${t ? `, "max_wrapping_ttl": ${t}` : ""}}`);
    return `{${named ? '"name": "n", ' : ""}"path": {${entries.join(", ")}}}`;
  });

/** A one-character mutation: deletion, insertion of a structural character, or a swap with the next one. */
const mutate = (text: string, at: number, kind: number, ch: string) => {
  const i = text.length === 0 ? 0 : at % text.length;
  if (kind === 0) return text.slice(0, i) + text.slice(i + 1);
  if (kind === 1) return text.slice(0, i) + ch + text.slice(i);
  return text.slice(0, i) + text.slice(i + 1, i + 2) + text.slice(i, i + 1) + text.slice(i + 2);
};

/** A policy text: mostly well-formed HCL, some JSON, some mutated. */
export const policyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: hclPolicy },
  { weight: 2, arbitrary: jsonPolicy },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.oneof(hclPolicy, jsonPolicy), fc.nat(), fc.integer({ min: 0, max: 2 }), pick("{", "}", "[", "]", "=", ",", '"', "#", "\n", "<", "\\", "$", "0", ":", "\u0000", "\ue123"))
      .map(([t, at, kind, ch]) => mutate(t, at, kind, ch)),
  },
);

/** `count` policies from a fixed seed. */
export function generatePolicies(count: number, seed: number): string[] {
  return fc.sample(policyText, { numRuns: count, seed });
}
