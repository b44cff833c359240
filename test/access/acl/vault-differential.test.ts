/**
 * The differential test of issue #26: every generated policy is parsed by the access analysis and by a reference
 * of Vault's own parser (rehearsal/vault-policy-ref: Go, hashicorp/hcl, Vault's parse steps, the vault fork's
 * differences modelled), and the two must agree on accept/reject and on every parsed rule (path, prefix and `+`
 * flags, capabilities, wrapping TTLs in nanoseconds, allowed/denied/required parameters) and the name.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compilePolicy } from "../../../access/acl/policy";
import { parsePolicyText } from "../../../config/policies";
import { generatePolicies } from "../../../rehearsal/policy-generator";
import { buildReference, referenceParse, type ReferenceResult } from "../../../rehearsal/vault-policy-ref";
import { ROOT } from "../../helpers";

const GENERATED = 2500;
const SEED = 26;

/** The access analysis's reading of a policy, in the reference's shape. */
function ours(text: string): Omit<ReferenceResult, "error"> {
  try {
    const { rules, declaredName } = parsePolicyText("p.hcl", text);
    const compiled = compilePolicy({ name: "p", file: "p.hcl", rules });
    const params = (m: Map<string, unknown[]> | undefined) => (m === undefined ? null : Object.fromEntries(m));
    return {
      ok: true,
      name: declaredName ?? "",
      rules: compiled.rules.map((r) => ({
        path: r.path,
        isPrefix: r.isPrefix,
        hasSegmentWildcards: r.hasSegmentWildcards,
        capabilities: r.permissions.capabilities,
        minWrappingTtlNs: String(r.minWrappingTtlNs ?? 0n),
        maxWrappingTtlNs: String(r.maxWrappingTtlNs ?? 0n),
        allowed: params(r.permissions.allowedParameters),
        denied: params(r.permissions.deniedParameters),
        required: r.permissions.requiredParameters,
      })),
    };
  } catch {
    return { ok: false, name: "", rules: null };
  }
}

/** A JSON value with object keys sorted (Go's encoding/json sorts map keys). */
const sorted = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;

/** Both answers as JSON text (numbers as doubles on both sides, keys sorted), the reference's error dropped. */
const comparable = (r: Omit<ReferenceResult, "error">) => JSON.stringify(sorted(JSON.parse(JSON.stringify({ ok: r.ok, name: r.ok ? r.name : "", rules: r.ok ? r.rules : null }))));

describe("the access analysis parses policies as Vault 2.0.4 does (differential test against a Go reference)", () => {
  const fixtures = ["accept", "reject", "hcl2-only"].flatMap((kind) =>
    readdirSync(join(ROOT, "test", "fixtures", "hcl1", kind)).map((f) => readFileSync(join(ROOT, "test", "fixtures", "hcl1", kind, f), "utf8")),
  );
  const policies = readdirSync(join(ROOT, "policies"))
    .filter((f) => f.endsWith(".hcl"))
    .map((f) => readFileSync(join(ROOT, "policies", f), "utf8"));
  const generated = generatePolicies(GENERATED, SEED);
  const texts = [...fixtures, ...policies, ...generated];
  let reference: ReferenceResult[];

  beforeAll(() => {
    reference = referenceParse(buildReference(), texts);
  }, 120_000);

  it(`generates at least 2,000 varied policies, accepted and rejected`, () => {
    expect(generated.length).toBeGreaterThanOrEqual(2000);
    expect(new Set(generated).size).toBeGreaterThan(1500);
    const accepted = reference.filter((r) => r.ok).length;
    expect(accepted).toBeGreaterThan(texts.length / 5);
    expect(texts.length - accepted).toBeGreaterThan(texts.length / 5);
  });

  // Where upstream hcl v1.0.0 (what Debian ships) and Vault's fork v1.0.1-vault-7 differ, the reference must answer
  // as the fork does, or the comparison would prove nothing there.
  it("has the reference answer as Vault's hcl fork where it differs from upstream hcl", () => {
    const forks = [
      'path "a" {\n  capabilities = ["read"]\n  policy = }\n}\n',
      'path "a" {\n  capabilities = ["read"]\n  capabilities = ["list"]\n}\n',
      'path "a" {\n  control_group { factor "f" { identity { group_names = ["g"] } } }\n  "control_group" { factor "f" { identity { approvals = 1 } } }\n  capabilities = ["read"]\n}\n',
    ];
    const [dropped, duplicate, merged] = referenceParse(buildReference(), forks);
    expect(dropped).toMatchObject({ ok: false, error: expect.stringMatching(/object item error dropped by upstream hcl objectType/) });
    expect(duplicate).toMatchObject({ ok: false, error: expect.stringMatching(/The argument "capabilities" at 3:3 was already set/) });
    expect(merged).toMatchObject({ ok: true });
    expect(forks.map((t) => ours(t).ok)).toEqual([false, false, true]);
  });

  it("agrees with the reference on every policy: accept/reject, name and rules", () => {
    const disagreements = texts.flatMap((text, i) => {
      const mine = comparable(ours(text));
      const theirs = comparable(reference[i]);
      return mine === theirs ? [] : [{ text, ours: mine, vault: theirs, error: reference[i].error }];
    });
    expect(disagreements.slice(0, 3)).toEqual([]);
    expect(disagreements.length).toBe(0);
  });
});
