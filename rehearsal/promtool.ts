/**
 * Prometheus' own rule engine through `promtool` (Debian package `prometheus`, installed by .ci/run): `check rules`
 * parses and type-checks a rule file as Prometheus loads it, `test rules` evaluates the rules over input series and
 * compares the alerts that fire. Files are written to a temporary directory; the output is returned with the status.
 * Imported by tests only.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

export interface PromtoolResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs `promtool <args...>` in a directory holding `files` (name -> content). Throws if promtool is missing. */
export function promtool(args: readonly string[], files: Readonly<Record<string, string>>): PromtoolResult {
  const dir = mkdtempSync(join(tmpdir(), "promtool-"));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const r = spawnSync("promtool", [...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    if (r.error) throw new Error(`promtool could not run (${r.error.message}): apt-get install -y prometheus (.ci/run does)`);
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A rule file with one group, as the Prometheus operator loads a PrometheusRule's `spec.groups`. */
export function ruleFile(groupName: string, rules: readonly object[]): string {
  return stringify({ groups: [{ name: groupName, rules }] });
}

/** One input series of a unit test: its labels and one value per step (null: no sample; "stale": it disappeared). */
export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly values: readonly (number | "stale" | null)[];
}

export interface ExpectedAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface UnitTest {
  readonly name: string;
  /** Seconds between two values of every series (the scrape interval). */
  readonly intervalSeconds: number;
  readonly series: readonly Series[];
  /** At `atSeconds`, exactly these alerts of `alert` are firing. */
  readonly expect: readonly { readonly atSeconds: number; readonly alert: string; readonly firing: readonly ExpectedAlert[] }[];
}

const selector = (s: Series): string =>
  `${s.name}{${Object.entries(s.labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;

/** The `promtool test rules` file for `tests` against the rule file `rules.yaml`. */
export function unitTestFile(tests: readonly UnitTest[], evaluationIntervalSeconds: number): string {
  return stringify({
    rule_files: ["rules.yaml"],
    evaluation_interval: `${evaluationIntervalSeconds}s`,
    tests: tests.map((t) => ({
      name: t.name,
      interval: `${t.intervalSeconds}s`,
      input_series: t.series.map((s) => ({ series: selector(s), values: s.values.map((v) => (v === null ? "_" : String(v))).join(" ") })),
      alert_rule_test: t.expect.map((e) => ({
        eval_time: `${e.atSeconds}s`,
        alertname: e.alert,
        exp_alerts: e.firing.map((a) => ({ exp_labels: a.labels, ...(a.annotations ? { exp_annotations: a.annotations } : {}) })),
      })),
    })),
  });
}
