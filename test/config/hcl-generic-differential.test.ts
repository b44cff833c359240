/**
 * Vault's server config as config/hcl.ts reads it (hcl.Decode into a map[string]interface{}, which the server rules
 * and the report inspect) against hashicorp/hcl itself: the Go reference (rehearsal/vault-policy-ref, `decode:
 * "generic"`) parses each text as Vault does and decodes it generically; both sides print every value with its Go
 * type (int, float, string, bool, []interface{}, []map[string]interface{}, map). They must agree on accept/reject
 * and on every value. Texts: the server configs the cluster stack renders, hand-written server-config shapes, the
 * HCL fixtures and 1,500 generated HCL texts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeHclGeneric } from "../../config/hcl";
import type { GoValue } from "../../config/hcl1/value";
import { renderVaultServerHcl } from "../../constructs/vault-server-hcl";
import { askReference } from "../../rehearsal/go-reference";
import { generatePolicies } from "../../rehearsal/policy-generator";
import { buildReference } from "../../rehearsal/vault-policy-ref";
import { SERVER_HCL_PROPS as base } from "../constructs/cluster-fixtures";
import { ROOT } from "../helpers";

type Typed = { t: string; v?: unknown };
interface Answer {
  readonly ok: boolean;
  readonly error?: string;
  readonly value?: Typed;
}

/** A decoded value as the reference prints it: Go's type and value, object keys sorted, ints as decimal text. */
function typed(value: GoValue): Typed {
  const object = (m: Map<string, GoValue>) => Object.fromEntries([...m.keys()].sort().map((k) => [k, typed(m.get(k)!)]));
  switch (value.t) {
    case "int":
      return { t: "int", v: value.v.toString() };
    case "slice":
      return { t: "slice", v: value.v.map(typed) };
    case "maps":
      return { t: "maps", v: value.v.map(object) };
    case "map":
      return { t: "map", v: object(value.v) };
    default:
      return { t: value.t, v: value.v };
  }
}

/** Where two typed values first differ, with both sides there (shortened); undefined when equal. */
function firstDifference(a: unknown, b: unknown, at = "root"): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  const short = (v: unknown) => (JSON.stringify(v) ?? "nothing").slice(0, 160);
  return `at ${at}: here ${short(a)}, hcl ${short(b)}`;
}

function ours(text: string): Answer {
  try {
    return { ok: true, value: typed({ t: "map", v: decodeHclGeneric(text) }) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}


/** Shapes a server config takes: repeated and labelled blocks, nested blocks, lists of objects, numbers, heredocs. */
const SHAPES = [
  'listener "tcp" { address = "[::]:8200" }\nlistener "tcp" { address = "[::]:8202" tls_disable = 1 }\nlistener "unix" { address = "/run/v.sock" }',
  'storage "raft" {\n  path = "/vault/data"\n  retry_join { leader_api_addr = "https://a:8200" }\n  retry_join { leader_api_addr = "https://b:8200" }\n  autopilot { cleanup_dead_servers = true }\n}',
  'seal "awskms" { region = "eu-west-2" kms_key_id = "k" }\nseal "transit" { disabled = "true" }',
  "ui = true\ndisable_mlock = false\nmax_lease_ttl = \"768h\"\ndefault_lease_ttl = 3600\nlog_level = \"info\"\npid_file = \"\"",
  "telemetry {\n  prometheus_retention_time = \"24h\"\n  disable_hostname = true\n  usage_gauge_period = 10.5\n}",
  'service_registration "kubernetes" {}\ncluster_name = "x"\nplugin_directory = "/p"',
  'listener "tcp" {\n  address = "[::]:8200"\n  telemetry { unauthenticated_metrics_access = false }\n  x_forwarded_for_authorized_addrs = ["10.0.0.0/8", "192.168.0.0/16"]\n}',
  'a = [{ b = 1 }, { c = 2 }]\nd = [1, "two", true, 3.5]\ne = []\nf = {}\ng = { h = { i = 1 } }',
  'listener "tcp" "second label" { address = "x" }\nlistener tcp { address = "y" }',
  "k = <<EOT\nline one\n  line two\nEOT\nl = <<-EOT\n    indented\n    EOT\n",
  'n = -1\no = 0x1F\np = 1e3\nq = 9223372036854775807\nr = "\\u00e9\\n"',
  'storage "raft" { retry_join = [{ leader_api_addr = "a" }, { leader_api_addr = "b" }] }',
  "x = 1\nx = 2",
  'x { a = 1 }\nx = 2',
  '{"listener": [{"tcp": {"address": "[::]:8200"}}], "ui": true, "n": 1.5, "m": 2}',
  '{"storage": {"raft": {"retry_join": [{"a": 1}, {"a": 2}]}}}',
  "listener \"tcp\" {\n  tls_disable = var.plain ? 1 : 0\n}",
  'telemetry { x = ${y} }',
];

describe("Vault's server config read as hashicorp/hcl decodes it (differential test against a Go reference)", () => {
  const rendered = [
    renderVaultServerHcl(base),
    renderVaultServerHcl({ ...base, raft: { retryJoin: base.raft.retryJoin.slice(0, 1) } }),
  ];
  const fixtures = ["accept", "reject", "hcl2-only"].flatMap((kind) =>
    readdirSync(join(ROOT, "test", "fixtures", "hcl1", kind)).map((f) => readFileSync(join(ROOT, "test", "fixtures", "hcl1", kind, f), "utf8")),
  );
  const texts = [...rendered, ...SHAPES, ...fixtures, ...generatePolicies(1500, 31)];
  let reference: Answer[];
  beforeAll(() => {
    reference = askReference<Answer>(buildReference(), texts.map((text) => ({ text, decode: "generic" })));
  }, 120_000);

  it("agrees with hcl on accept/reject and on every decoded value and its Go type", () => {
    const disagreements: string[] = [];
    texts.forEach((text, i) => {
      const [a, b] = [ours(text), reference[i]];
      if (a.ok !== b.ok) disagreements.push(`${JSON.stringify(text.slice(0, 200))}: here ${a.ok ? "accepted" : `refused (${a.error})`}, hcl ${b.ok ? "accepts" : `refuses (${b.error})`}`);
      else if (a.ok) {
        const difference = firstDifference(a.value, b.value);
        if (difference) disagreements.push(`${JSON.stringify(text.slice(0, 120))}: ${difference}`);
      }
    });
    expect(disagreements.slice(0, 20)).toEqual([]);
  });

  it("has both outcomes and every Go type among the answers", () => {
    const types = new Set(JSON.stringify(reference).match(/"t":"[a-z]+"/g));
    expect([...types].sort()).toEqual(['"t":"bool"', '"t":"float"', '"t":"int"', '"t":"map"', '"t":"maps"', '"t":"slice"', '"t":"string"']);
    expect(reference.filter((r) => !r.ok).length).toBeGreaterThan(100);
    expect(reference.filter((r) => r.ok).length).toBeGreaterThan(500);
  });
});
