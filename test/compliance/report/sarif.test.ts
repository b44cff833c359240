/** The SARIF 2.1.0 and JSON exports of the compliance findings, checked against the SARIF structure. */
import { Testing } from "cdktf";
import { evaluateStack, type Finding } from "../../../compliance/evaluate";
import { ALL_PACKS } from "../../../compliance/packs";
import { findingsJson } from "../../../compliance/report/findings-json";
import { checkStatus } from "../../../compliance/report/outcomes";
import { lineOf, toSarif } from "../../../compliance/report/sarif";
import { StackView } from "../../../synthesized/stack-view";
import type { EnvironmentConfig } from "../../../config/schema";
import { addEnvironment } from "../../../stacks/environment";
import { configFor, defaultPolicies } from "../../helpers";
import { sarifProblems } from "./sarif-structure";

interface Synthesized {
  environment: string;
  findings: Finding[];
  texts: Map<string, string>;
}

async function synthesize(config: EnvironmentConfig): Promise<Synthesized> {
  const texts = new Map<string, string>();
  const stacks = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies())).map((s) => {
    const text = Testing.synth(s);
    texts.set(s.node.id, text);
    return new StackView(s.node.id, JSON.parse(text));
  });
  return { environment: config.environment, findings: stacks.flatMap((s) => evaluateStack(s, ALL_PACKS, config.compliance.suppressions)), texts };
}

const sarifOf = (envs: Synthesized[]) =>
  toSarif({
    packs: ALL_PACKS,
    environments: envs,
    toolVersion: "0.1.0",
    stackFile: (stack) => ({ uri: `cdktf.out/stacks/${stack}/cdk.tf.json`, text: envs.flatMap((e) => [...e.texts]).find(([id]) => id === stack)?.[1] }),
  });

describe("SARIF export", () => {
  let prod: Synthesized;
  let weak: Synthesized;
  beforeAll(async () => {
    prod = await synthesize(configFor("prod"));
    // SSE-S3 backups without a suppression: a failing AWS-S3-002 check.
    weak = await synthesize(
      configFor("dev", (raw) => {
        raw.backup.encryption = "aes256";
        raw.backup.encryptionReason = "parity with the CheckTick runbook until its buckets move to SSE-KMS";
      }),
    );
  }, 60_000);

  it("is valid SARIF 2.1.0 (required fields, enums, rule indexes)", () => {
    expect(sarifProblems(sarifOf([prod, weak]))).toEqual([]);
  });

  it("lists every rule of every pack in tool.driver.rules, with severity for code scanning", () => {
    const driver = sarifOf([prod]).runs[0].tool.driver;
    expect(driver.rules!.map((r) => r.id)).toEqual(ALL_PACKS.flatMap((p) => p.rules.map((r) => r.id)));
    const critical = ALL_PACKS.flatMap((p) => p.rules).find((r) => r.severity === "critical")!;
    expect(driver.rules!.find((r) => r.id === critical.id)).toMatchObject({
      shortDescription: { text: critical.title },
      fullDescription: { text: critical.rationale },
      defaultConfiguration: { level: "error" },
      properties: { "security-severity": "9.5" },
    });
  });

  it("has one result per failing check; suppressed and passing checks are not uploaded (code scanning ignores result.suppressions)", () => {
    const log = sarifOf([prod, weak]);
    const all = [prod, weak].flatMap((e) => e.findings);
    expect(all.some((f) => checkStatus(f) === "suppressed")).toBe(true);
    const expected = all.filter((f) => checkStatus(f) === "fail");
    expect(expected.length).toBeGreaterThan(0);
    const results = log.runs[0].results!;
    expect(results.map((r) => `${r.ruleId} ${r.locations![0].logicalLocations![0].fullyQualifiedName}`).sort()).toEqual(
      expected.map((f) => `${f.rule.id} ${f.stack}/${f.address}`).sort(),
    );
    for (const r of results) expect(r.suppressions).toBeUndefined();
    expect(results.find((r) => r.ruleId === "AWS-S3-002")?.level).toBe("error");
  });

  it("holds no result for the default configs (every non-compliant check there is suppressed)", () => {
    expect(sarifOf([prod]).runs[0].results).toEqual([]);
  });

  it("names the tool's information URI when given", () => {
    const log = toSarif({ packs: ALL_PACKS, environments: [weak], toolVersion: "0.1.0", stackFile: () => ({ uri: "x" }), informationUri: "https://github.com/o/r" });
    expect(log.runs[0].tool.driver.informationUri).toBe("https://github.com/o/r");
    expect(sarifProblems(log)).toEqual([]);
  });

  it("locates each result by a full region (the block from its key to its closing brace) and by stack and address", () => {
    const results = sarifOf([prod, weak]).runs[0].results!;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      const { stack, address } = r.properties as { stack: string; address: string };
      const [loc] = r.locations!;
      expect(loc.physicalLocation!.artifactLocation!.uri).toBe(`cdktf.out/stacks/${stack}/cdk.tf.json`);
      const text = [...prod.texts, ...weak.texts].find(([id]) => id === stack)![1];
      const region = loc.physicalLocation!.region!;
      const lines = text.split("\n");
      const key = JSON.stringify(address.split(".").slice(1).join("."));
      expect(lines[region.startLine! - 1].slice(region.startColumn! - 1)).toBe(`${key}: {`);
      const block = lines.slice(region.startLine! - 1, region.endLine!).join("\n");
      // The region is exactly the block: key, its object, its closing brace.
      const closing = lines[region.endLine! - 1];
      expect(closing.slice(0, region.endColumn! - 1).trim()).toMatch(/^},?$/);
      expect(JSON.parse(`{${block.trim().replace(/,$/, "")}}`)[key.slice(1, -1)]).toBeDefined();
    }
  });

  it("keeps each result's fingerprint when lines move (it names rule, stack and address, never a line)", () => {
    const [r] = sarifOf([weak]).runs[0].results!;
    const shifted = toSarif({
      packs: ALL_PACKS,
      environments: [weak],
      toolVersion: "0.2.0",
      stackFile: (stack) => ({ uri: `cdktf.out/stacks/${stack}/cdk.tf.json`, text: `\n\n${weak.texts.get(stack)}` }),
    }).runs[0].results!.find((x) => x.ruleId === r.ruleId)!;
    expect(shifted.locations![0].physicalLocation!.region!.startLine).toBe(r.locations![0].physicalLocation!.region!.startLine! + 2);
    expect(shifted.partialFingerprints).toEqual(r.partialFingerprints);
  });
});

describe("lineOf", () => {
  const text = JSON.stringify({ data: { aws_x: { a: { n: 1 } } }, provider: { aws: [{ n: 1 }] }, resource: { aws_y: { a: { n: 1 }, b: { c: 1 } }, aws_z: { b: { n: 1 } } } }, null, 2);
  const at = (n: number | undefined) => (n === undefined ? undefined : text.split("\n")[n - 1].trim());

  it("finds resources, data sources and providers under their own section and type", () => {
    expect(at(lineOf(text, "aws_z.b"))).toBe('"b": {');
    expect(lineOf(text, "aws_z.b")).toBeGreaterThan(lineOf(text, "aws_y.b")!);
    expect(at(lineOf(text, "data.aws_x.a"))).toBe('"a": {');
    expect(lineOf(text, "data.aws_x.a")).toBeLessThan(lineOf(text, "aws_y.a")!);
    expect(at(lineOf(text, "provider.aws"))).toBe('"aws": [');
  });

  it("is undefined for a block that is not there", () => {
    expect(lineOf(text, "aws_y.c")).toBeUndefined();
    expect(lineOf(text, "data.aws_y.a")).toBeUndefined();
  });
});

describe("structure check", () => {
  it("fails a log that misses required fields or has a wrong rule index", () => {
    const broken = {
      version: "2.1.0",
      runs: [{ tool: { driver: { rules: [{ id: "A" }] } }, results: [{ ruleId: "A", ruleIndex: 1, level: "fatal", suppressions: [{}] }] }],
    };
    expect(sarifProblems(broken)).toEqual(
      expect.arrayContaining([
        "runs[0].tool.driver.name: required string",
        "runs[0].results[0].message: required, with text or id",
        "runs[0].results[0].ruleIndex: 1 does not point at rule A",
        "runs[0].results[0].level: must be one of none, note, warning, error (got fatal)",
        "runs[0].results[0].suppressions[0].kind: must be one of inSource, external (got undefined)",
      ]),
    );
  });
});

describe("findings JSON", () => {
  it("has every check of every environment with its status, and rule counts by severity", async () => {
    const prod = await synthesize(configFor("prod"));
    const json = findingsJson({ packs: ALL_PACKS, environments: [prod], provenance: { commit: "abc", synthesizedAt: "2026-11-26T12:00:00.000Z" } }) as any;
    const [env] = json.environments;
    expect(env.environment).toBe("prod");
    expect(env.findings).toHaveLength(prod.findings.length);
    expect(env.rules).toHaveLength(ALL_PACKS.reduce((n, p) => n + p.rules.length, 0));
    const suppressed = env.findings.filter((f: any) => f.status === "suppressed");
    expect(suppressed.map((f: any) => f.suppression.reason).sort()).toEqual(configFor("prod").compliance.suppressions.map((s) => s.reason).sort());
    const total = env.summary.total;
    expect(total.pass + total.fail + total.suppressed + total["n/a"]).toBe(env.rules.length);
    expect(total.fail).toBe(0);
    expect(json.provenance).toEqual({ commit: "abc", synthesizedAt: "2026-11-26T12:00:00.000Z" });
  }, 60_000);
});
