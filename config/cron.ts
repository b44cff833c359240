/**
 * Five-field cron schedules (minute hour day-of-month month day-of-week, UTC) as the two engines that run this
 * platform's schedules read them, far enough to refuse what they refuse and to know the longest wait between runs:
 *
 * - `kubernetes`: robfig/cron v3.0.1, with which kube-apiserver validates a CronJob's schedule and the CronJob
 *   controller computes its runs (parser.go getRange, spec.go dayMatches). Checked against that library itself in
 *   test/config/cron-differential.test.ts.
 * - `github`: GitHub Actions' `on.schedule`, documented as POSIX cron (its parser is not public).
 *
 * Both: `*`, numbers, ranges a-b, steps /n (`5/15` is 5 to the end in steps of 15) and lists; day of week 0-6 with 0
 * as Sunday (robfig's bounds; GitHub documents 0-6). Names, `?` and `@descriptors` are refused although both engines
 * know some of them. When both day fields are restricted a day matches either; which fields count as unrestricted
 * is where the engines differ: for robfig a field is unrestricted when one of its list items is `*` (or `*` with
 * step 1), so `*` + `/2` restricts; POSIX counts only a field that is exactly `*`.
 */

export type CronEngine = "kubernetes" | "github";

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 6 },
] as const;

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly dayRestricted: boolean;
  readonly weekdayRestricted: boolean;
}

const ITEM = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

/** The values one field selects; throws naming the field, what it got and what it takes. */
function parseField(text: string, index: number): Set<number> {
  const { name, min, max } = FIELDS[index];
  const out = new Set<number>();
  for (const item of text.split(",")) {
    const m = ITEM.exec(item);
    if (!m) throw new Error(`must be a cron schedule: the ${name} field "${text}" is not *, a number, a range a-b, a step /n or a list`);
    const from = m[2] === undefined ? min : Number(m[2]);
    const to = m[2] === undefined ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] === undefined ? 1 : Number(m[4]);
    const problem = step < 1 ? "has a step of 0" : from < min || from > max || to > max ? `is outside ${min}-${max}` : from > to ? `has a range that ends before it starts` : undefined;
    if (problem) throw new Error(`must be a cron schedule: the ${name} field "${text}" ${problem}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Whether a day field leaves the day open, for the either-day rule. */
function unrestricted(text: string, engine: CronEngine): boolean {
  if (engine === "github") return text === "*";
  return text.split(",").some((item) => item === "*" || item === "*/1");
}

/** Parses a schedule as `engine` reads it; throws with the field at fault. */
export function parseCron(expression: string, engine: CronEngine): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new Error(`must be a five-field cron schedule such as "0 * * * *" (minute hour day-of-month month day-of-week), got ${parts.length} field${parts.length === 1 ? "" : "s"}`);
  }
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, i));
  return { minutes, hours, days, months, weekdays, dayRestricted: !unrestricted(parts[2], engine), weekdayRestricted: !unrestricted(parts[4], engine) };
}

function runsOn(s: CronSchedule, month: number, day: number, weekday: number): boolean {
  if (!s.months.has(month)) return false;
  const dayMatches = s.days.has(day);
  const weekdayMatches = s.weekdays.has(weekday);
  if (s.dayRestricted && s.weekdayRestricted) return dayMatches || weekdayMatches;
  return dayMatches && weekdayMatches;
}

/** 28 years: every weekday, leap-year and month-length alignment the Gregorian calendar has between 1901 and 2099. */
const WINDOW = { fromYear: 2025, toYear: 2053 };
const monthLength = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const gaps = new Map<string, number>();

/**
 * The longest time between two runs from 2025 to 2053 (UTC), in seconds; Infinity when it runs less than twice
 * (`0 0 30 2 *`). Every running day runs at the same times, so only the days are walked.
 */
export function longestGapSeconds(s: CronSchedule): number {
  const key = JSON.stringify([s.minutes, s.hours, s.days, s.months, s.weekdays].map((f) => [...f])) + s.dayRestricted + s.weekdayRestricted;
  const known = gaps.get(key);
  if (known !== undefined) return known;
  const times = [...s.hours].flatMap((h) => [...s.minutes].map((m) => h * 60 + m)).sort((a, b) => a - b);
  let withinDay = 0;
  for (let i = 1; i < times.length; i++) withinDay = Math.max(withinDay, times[i] - times[i - 1]);
  let gap = 0;
  let runs = 0;
  let previous: number | undefined;
  let day = 0;
  let weekday = new Date(Date.UTC(WINDOW.fromYear, 0, 1)).getUTCDay();
  for (let year = WINDOW.fromYear; year < WINDOW.toYear; year++) {
    for (let month = 1; month <= 12; month++) {
      for (let date = 1, last = monthLength(year, month); date <= last; date++, day++, weekday = (weekday + 1) % 7) {
        if (!runsOn(s, month, date, weekday)) continue;
        if (previous !== undefined) gap = Math.max(gap, (day - previous) * 1440 - times[times.length - 1] + times[0]);
        previous = day;
        runs += times.length;
      }
    }
  }
  const seconds = runs < 2 ? Infinity : Math.max(gap, withinDay) * 60;
  gaps.set(key, seconds);
  return seconds;
}

/**
 * Why a Kubernetes CronJob schedule is unusable, or undefined: a field Kubernetes refuses, or days that never come
 * (`0 0 30 2 *`: the job would never run) or come only on 29 February, read from the longest gap between runs (the
 * staleness alert derives its wait from the same gap). Every other day set recurs each year, so a gap of more than
 * 366 days means 29 February alone.
 */
export function cronProblem(schedule: string): string | undefined {
  let gap: number;
  try {
    gap = longestGapSeconds(parseCron(schedule, "kubernetes"));
  } catch (e) {
    return (e as Error).message;
  }
  if (gap === Infinity) return "never runs: no selected month has the selected day of month";
  if (gap > 366 * 86_400) return "runs only on 29 February, once in four years: choose a day every selected month has";
  return undefined;
}
