/**
 * Kubernetes' own reading of CronJob schedules: the Go reference in rehearsal/kubernetes-cron-ref/ (robfig/cron
 * v3.0.1 from Debian's golang-github-robfig-cron-dev, as kube-apiserver and the CronJob controller use it), built as
 * rehearsal/go-reference.ts says. All schedules of a run go through one process, as JSON lines.
 */
import { askReference, buildGoReference } from "./go-reference";

export interface KubernetesSchedule {
  /** Whether kube-apiserver accepts the schedule (cron.ParseStandard). */
  readonly ok: boolean;
  readonly error?: string;
  /** Runs from 2025-01-01 to 2053-01-01 UTC, and the longest time between two of them in seconds. */
  readonly runs: number;
  readonly longestGap: number;
}

export function buildKubernetesCron(): string {
  return buildGoReference("kubernetes-cron-ref", [{ importPath: "github.com/robfig/cron", debianPackage: "golang-github-robfig-cron-dev" }]);
}

export function kubernetesSchedules(binary: string, schedules: readonly string[]): KubernetesSchedule[] {
  return askReference<KubernetesSchedule>(binary, schedules.map((schedule) => ({ schedule })));
}
