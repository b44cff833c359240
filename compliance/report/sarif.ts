/**
 * The compliance findings as SARIF 2.1.0, the format code scanning (GitHub, Azure DevOps, Defect Dojo) reads:
 * every rule of every pack in `tool.driver.rules`, every failing check as a result, located by the region of its block
 * in its stack's synthesized file and by its stack and Terraform address, with a fingerprint of rule, stack and
 * address (stable when lines move). Passing checks are not results (SARIF results are problems), and neither are
 * suppressed ones: GitHub code scanning does not honour `result.suppressions` and would open an alert for each; they
 * stay in the JSON findings (findings-json.ts) with their owner, approver and expiry.
 */
import { createHash } from "node:crypto";
import type { Location, Log, ReportingDescriptor, Result } from "sarif";
import type { Finding } from "../evaluate";
import type { RulePack, Severity } from "../rule";
import { checkStatus } from "./outcomes";

/** SARIF level of each severity; `security-severity` as GitHub buckets it (>= 9 critical, >= 7 high, >= 4 medium). */
const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = { critical: "error", high: "error", medium: "warning", low: "note" };
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** Where a stack's synthesized file lives, relative to the repository root, and its text (for line numbers). */
export interface StackFile {
  readonly uri: string;
  readonly text?: string;
}

export interface SarifInput {
  readonly packs: readonly RulePack[];
  readonly environments: readonly { readonly environment: string; readonly findings: readonly Finding[] }[];
  readonly toolVersion: string;
  readonly stackFile: (stack: string) => StackFile;
  /** The tool's home page (`tool.driver.informationUri`), e.g. the repository. @default - omitted */
  readonly informationUri?: string;
}

/**
 * The 1-based line of a block's key in a synthesized `cdk.tf.json` (cdktf writes it indented by two spaces):
 * `aws_s3_bucket.x` is the key `"x"` under `"aws_s3_bucket"` under `"resource"`; `data.<type>.<name>` under
 * `"data"`; `provider.<name>` is the provider's key under `"provider"`.
 */
export function lineOf(text: string, address: string): number | undefined {
  const parts = address.split(".");
  const path =
    parts[0] === "data" ? ["data", parts[1], parts.slice(2).join(".")] : parts[0] === "provider" ? ["provider", parts[1]] : ["resource", parts[0], parts.slice(1).join(".")];
  const lines = text.split("\n");
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const want = `${"  ".repeat(depth + 1)}${JSON.stringify(path[depth])}:`;
    if (lines[i].startsWith(want)) {
      depth++;
      if (depth === path.length) return i + 1;
    } else if (depth > 0 && lines[i].startsWith(`${"  ".repeat(depth)}}`)) {
      return undefined; // left the enclosing object without finding the key
    }
  }
  return undefined;
}

/** The region of a block in a synthesized `cdk.tf.json`: from its key to its closing brace, 1-based, columns in UTF-16 units. */
export function regionOf(text: string, address: string): { startLine: number; startColumn: number; endLine: number; endColumn: number } | undefined {
  const start = lineOf(text, address);
  if (start === undefined) return undefined;
  const lines = text.split("\n");
  const indent = lines[start - 1].length - lines[start - 1].trimStart().length;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (line.length - line.trimStart().length === indent && /^[}\]]/.test(line.trimStart())) {
      return { startLine: start, startColumn: indent + 1, endLine: i + 1, endColumn: indent + 2 };
    }
  }
  return undefined;
}

function descriptor(rule: RulePack["rules"][number], pack: string): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.id.replace(/-/g, ""),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: {
      text: `${rule.rationale}\n\nFix: ${rule.fix}`,
      markdown: `**${rule.title}**\n\n${rule.rationale}\n\n**Fix:** ${rule.fix}`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ["security", "compliance", pack],
      precision: "very-high",
      "security-severity": SECURITY_SEVERITY[rule.severity],
      severity: rule.severity,
    },
  };
}

function location(f: Finding, file: StackFile): Location {
  const region = file.text === undefined ? undefined : regionOf(file.text, f.address);
  return {
    physicalLocation: {
      artifactLocation: { uri: file.uri },
      ...(region !== undefined ? { region } : {}),
    },
    logicalLocations: [{ name: f.address, fullyQualifiedName: `${f.stack}/${f.address}`, kind: "resource" }],
  };
}

export function toSarif(input: SarifInput): Log {
  const rules = input.packs.flatMap((p) => p.rules.map((r) => descriptor(r, p.name)));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = [];
  for (const env of input.environments) {
    for (const f of env.findings) {
      const status = checkStatus(f);
      if (status !== "fail" || f.outcome.status !== "non-compliant") continue;
      const fingerprint = createHash("sha256").update(`${f.rule.id}\0${f.stack}\0${f.address}`).digest("hex");
      results.push({
        ruleId: f.rule.id,
        ruleIndex: index.get(f.rule.id),
        level: LEVEL[f.rule.severity],
        kind: "fail",
        message: { text: `${f.rule.title}. Found: ${f.outcome.found}. Fix: ${f.rule.fix}` },
        locations: [location(f, input.stackFile(f.stack))],
        partialFingerprints: { "vaultPlatformFinding/v1": fingerprint },
        properties: { environment: env.environment, stack: f.stack, address: f.address, severity: f.rule.severity },
      });
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "vault-platform compliance", version: input.toolVersion, ...(input.informationUri ? { informationUri: input.informationUri } : {}), rules } },
        automationDetails: { id: "vault-platform-compliance/" },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}
