/**
 * The backup schedule (a Kubernetes CronJob's) against Kubernetes' own reading of it: rehearsal/kubernetes-cron-ref
 * runs robfig/cron v3.0.1, with which kube-apiserver validates a CronJob and its controller computes the runs. A
 * schedule the config accepts is one Kubernetes accepts and runs at least twice in four years, and the longest gap
 * the snapshot-staleness alert is derived from (cronMaxIntervalSeconds) is the one Kubernetes keeps. The config may
 * refuse more than Kubernetes: a schedule that never runs, or only once in four years (on 29 February).
 */
import { cronProblem } from "../../config/cron";
import { cronMaxIntervalSeconds } from "../../constructs/vault-monitoring";
import { buildKubernetesCron, kubernetesSchedules } from "../../rehearsal/kubernetes-cron-ref";

const FOUR_YEARS = 4 * 365 * 86_400;

/** Edge cases of the two readings: the day-of-week range, the star rule of the day fields, list order, month ends. */
const EDGES = [
  "0 3 * * 7",
  "0 3 * * 0-7",
  "0 3 */2 * 1",
  "0 3 */1 * 1",
  "0 3 1 * */2",
  "0 3 *,5 * 1",
  "30,0 * * * *",
  "0 12,0 * * *",
  "0 0 30 2 *",
  "0 0 29 2 *",
  "0 0 30 2 1",
  "0 0 31 4,6,9,11 *",
  "0 0 31 * *",
  "5/15 0-23/2 * 1,6,12 *",
  "0 9-17 * * 1-5",
  "0 0 1,15 * *",
  "0 0 */80 * *",
  "0 24 * * *",
  "0 0 0 * *",
  "0 0 * 13 *",
  "0 0 5-1 * *",
  "0 0 * * */0",
];

/** A small deterministic generator (a linear congruential one) of schedules in the syntax both readings share. */
function generated(count: number): string[] {
  let seed = 20261207;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const value = (min: number, max: number) => min - 1 + next(max - min + 3); // one beyond each bound now and then
  const range = (min: number, max: number) => {
    const a = value(min, max);
    return `${a}-${a + next(max - min + 1)}`;
  };
  const part = (min: number, max: number, sparse: boolean): string => {
    const kinds = sparse ? 3 : 7;
    switch (next(kinds)) {
      case 0:
        return String(value(min, max));
      case 1:
        return `${value(min, max)},${value(min, max)}`;
      case 2:
        return `${value(min, max)}/${20 + next(40)}`;
      case 3:
        return "*";
      case 4:
        return `*/${next(8)}`;
      case 5:
        return range(min, max);
      default:
        return `${range(min, max)}/${1 + next(4)}`;
    }
  };
  return Array.from({ length: count }, () =>
    [part(0, 59, true), part(0, 23, false), part(1, 31, false), part(1, 12, false), part(0, 7, false)].join(" "),
  );
}

describe("the backup schedule read as Kubernetes reads it", () => {
  const schedules = [...EDGES, ...generated(400)];
  let reference: ReturnType<typeof kubernetesSchedules>;
  beforeAll(() => {
    reference = kubernetesSchedules(buildKubernetesCron(), schedules);
  }, 120_000);

  it("accepts only schedules Kubernetes accepts and runs, with the longest gap Kubernetes keeps", () => {
    const disagreements: string[] = [];
    schedules.forEach((schedule, i) => {
      const k = reference[i];
      const problem = cronProblem(schedule);
      if (problem === undefined) {
        if (!k.ok) disagreements.push(`${schedule}: accepted, Kubernetes refuses it (${k.error})`);
        else if (k.runs < 2) disagreements.push(`${schedule}: accepted, Kubernetes runs it ${k.runs} times in four years`);
        else {
          const gap = cronMaxIntervalSeconds(schedule);
          if (gap !== k.longestGap) disagreements.push(`${schedule}: longest gap ${gap} s, Kubernetes ${k.longestGap} s`);
        }
      } else if (k.ok && k.runs > 0 && k.longestGap < FOUR_YEARS) {
        disagreements.push(`${schedule}: refused (${problem}), Kubernetes runs it at least every ${Math.round(k.longestGap / 86_400)} days`);
      }
    });
    expect(disagreements).toEqual([]);
  });

  it("covers both outcomes of both readings", () => {
    const accepted = schedules.filter((s) => cronProblem(s) === undefined).length;
    const refusedByKubernetes = reference.filter((k) => !k.ok).length;
    expect(accepted).toBeGreaterThan(50);
    expect(refusedByKubernetes).toBeGreaterThan(50);
  });
});
