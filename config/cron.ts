/**
 * Five-field cron schedules as GitHub Actions reads them (minute hour day-of-month month day-of-week, UTC), far
 * enough to decide whether a schedule fires at all and the longest wait between two runs. `*`, numbers, ranges,
 * lists and steps; when both day fields are restricted, a day matches either (POSIX cron).
 */

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
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

function parseField(text: string, min: number, max: number, name: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`${name} "${part}" is not *, a number, a range or a step`);
    const from = m[1] === "*" ? min : Number(m[2]);
    const to = m[1] === "*" ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`${name} "${part}" is outside ${min}-${max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Parses a schedule; throws with the field at fault. */
export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`must have 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i].min, FIELDS[i].max, FIELDS[i].name));
  if (weekdays.has(7)) weekdays.add(0);
  return { minutes, hours, days, months, weekdays, dayRestricted: parts[2] !== "*", weekdayRestricted: parts[4] !== "*" };
}

function runsOn(s: CronSchedule, date: Date): boolean {
  if (!s.months.has(date.getUTCMonth() + 1)) return false;
  const day = s.days.has(date.getUTCDate());
  const weekday = s.weekdays.has(date.getUTCDay());
  if (s.dayRestricted && s.weekdayRestricted) return day || weekday;
  return day && weekday;
}

const HOUR = 3600_000;

/**
 * The longest time between two runs over four years from 2025-01-01 (leap year and every month length included),
 * in seconds; Infinity when it runs less than twice in that window (`0 0 30 2 *`, or only on February 29).
 */
export function longestGapSeconds(s: CronSchedule): number {
  const start = Date.UTC(2025, 0, 1);
  const end = Date.UTC(2029, 0, 1);
  const runs: number[] = [];
  for (let t = start; t < end; t += HOUR) {
    const d = new Date(t);
    if (!s.hours.has(d.getUTCHours()) || !runsOn(s, d)) continue;
    for (const m of s.minutes) runs.push(t + m * 60_000);
  }
  if (runs.length < 2) return Infinity;
  let gap = 0;
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i] - runs[i - 1]);
  return gap / 1000;
}
