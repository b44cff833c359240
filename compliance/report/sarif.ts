/**
 * The compliance findings as SARIF 2.1.0, the format code scanning (GitHub, Azure DevOps, Defect Dojo) reads:
 * every rule of every pack in `tool.driver.rules`, every failing and every suppressed check as a result (a
 * suppressed one with its justification, owner and expiry), each located by its stack's synthesized file and line and
 * by its stack and Terraform address. Passing checks are not results: SARIF results are problems.
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
  const line = file.text === undefined ? undefined : lineOf(file.text, f.address);
  return {
    physicalLocation: {
      artifactLocation: { uri: file.uri },
      ...(line !== undefined ? { region: { startLine: line } } : {}),
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
      if (status === "pass" || f.outcome.status !== "non-compliant") continue;
      const fingerprint = createHash("sha256").update(`${f.rule.id}\0${f.stack}\0${f.address}`).digest("hex");
      results.push({
        ruleId: f.rule.id,
        ruleIndex: index.get(f.rule.id),
        level: LEVEL[f.rule.severity],
        kind: "fail",
        message: { text: `${f.rule.title}. Found: ${f.outcome.found}. Fix: ${f.rule.fix}` },
        locations: [location(f, input.stackFile(f.stack))],
        partialFingerprints: { "vaultPlatformFinding/v1": fingerprint },
        ...(f.suppression
          ? {
              suppressions: [
                {
                  kind: "external" as const,
                  status: "accepted" as const,
                  justification: f.suppression.reason,
                  properties: { owner: f.suppression.owner, expires: f.suppression.expires },
                },
              ],
            }
          : {}),
        properties: { environment: env.environment, stack: f.stack, address: f.address, severity: f.rule.severity },
      });
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "vault-platform compliance", version: input.toolVersion, rules } },
        automationDetails: { id: "vault-platform-compliance/" },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}
