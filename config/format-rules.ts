/**
 * The rules behind the config's value formats, as plain functions: the schema (config/formats.ts) wraps them in zod
 * types, and synth's stacks apply them to values they derive. Kept free of zod, so a synth whose configs were
 * validated before (config/validated-cache.ts) never loads it.
 */

export const DURATION = /^(\d+(s|m|h|d))+$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a Vault duration string (`90s`, `1h`, `720h`, `1h30m`, `30d`). */
export function durationSeconds(value: string): number {
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)([smhd])/g)) {
    total += Number(amount) * UNIT_SECONDS[unit];
  }
  return total;
}

/**
 * The longest duration Vault can hold: Go's time.Duration is int64 nanoseconds (about 292 years). Longer values
 * overflow there, and beyond 2^53 seconds they would not even survive as JSON numbers here.
 */
export const MAX_DURATION_SECONDS = Math.floor((2 ** 63 - 1) / 1e9);

/** S3 general purpose bucket naming rules (AWS S3 user guide, "Bucket naming rules"). */
export function isS3BucketName(v: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) &&
    !v.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(v) &&
    !v.startsWith("xn--") &&
    !v.startsWith("sthree-") &&
    !v.endsWith("-s3alias") &&
    !v.endsWith("--ol-s3")
  );
}

export const S3_BUCKET_NAME_RULE =
  "must be an S3 bucket name: 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending alphanumeric, no '..', not an IP address";

const CRON_FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;
/** Days in each month (February: see `fits` below). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The values one cron field selects, or the reason it cannot be read. */
function cronField(text: string, index: number): Set<number> | string {
  const { name, min, max } = CRON_FIELDS[index];
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) return `the ${name} field "${text}" is not *, a number, a range a-b, a step /n or a list`;
    const from = m[2] === undefined ? min : Number(m[2]);
    const to = m[2] === undefined ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] === undefined ? 1 : Number(m[4]);
    if (step < 1 || from < min || to > max || from > to) return `the ${name} field "${text}" is outside ${min}-${max}`;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/**
 * Why a five-field cron schedule is unusable, or undefined: a field that cannot be read, or a day of month that
 * no selected month has (`0 0 30 2 *`), so the job would never run. When both day fields are restricted cron runs
 * on either, so the day of week alone keeps such a schedule alive.
 */
export function cronProblem(schedule: string): string | undefined {
  const parts = schedule.trim().split(/\s+/);
  if (parts.length !== 5) return `must be a five-field cron schedule such as "0 * * * *" (minute hour day-of-month month day-of-week)`;
  const fields = parts.map((p, i) => cronField(p, i));
  const bad = fields.find((f): f is string => typeof f === "string");
  if (bad) return `must be a cron schedule: ${bad}`;
  const [, , days, months] = fields as Set<number>[];
  const weekdayRestricted = !parts[4].startsWith("*");
  if (weekdayRestricted && !parts[2].startsWith("*")) return undefined;
  const fits = (february: number) => [...months].some((month) => [...days].some((day) => day <= (month === 2 ? february : MONTH_DAYS[month - 1])));
  if (!fits(29)) return "never runs: no selected month has the selected day of month";
  if (!fits(28)) return "runs only on 29 February, once in four years: choose a day every selected month has";
  return undefined;
}

/** Bytes in a binary quantity as memoryQuantity accepts it (Ki, Mi, Gi, Ti). */
export function quantityBytes(quantity: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!m) throw new Error(`not a binary quantity such as 512Mi or 10Gi: ${JSON.stringify(quantity)}`);
  const power = { Ki: 1, Mi: 2, Gi: 3, Ti: 4 }[m[2] as "Ki" | "Mi" | "Gi" | "Ti"];
  return Number(m[1]) * 1024 ** power;
}
