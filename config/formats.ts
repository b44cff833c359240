/**
 * Value formats shared by the config schema: each is a zod type whose message says what is expected, so a
 * validation error reads `cluster.namespace: must be a Kubernetes name ... (got "Vault")`.
 */
import { z } from "zod";

const DURATION = /^(\d+(s|m|h|d))+$/;
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

export const duration = z
  .string()
  .regex(DURATION, { message: "must be a Vault duration such as 30s, 15m, 1h, 720h or 1h30m" })
  .refine((v) => durationSeconds(v) > 0, { message: "must be a duration longer than zero" })
  .refine((v) => durationSeconds(v) <= MAX_DURATION_SECONDS, {
    message: `must be at most ${Math.floor(MAX_DURATION_SECONDS / 3600)}h (Vault durations are int64 nanoseconds, about 292 years)`,
  });

export const k8sName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: "must be a Kubernetes name (lower-case letters, digits and '-', starting and ending alphanumeric)",
  })
  .max(63, { message: "must be a Kubernetes name of at most 63 characters" });

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsName = z.string().refine(
  (v) => v.length <= 253 && v.split(".").every((label) => label.length <= 63 && DNS_LABEL.test(label)),
  { message: "must be a DNS name such as vault.example.com (lower-case labels of letters, digits and '-')" },
);

/** S3 general purpose bucket naming rules (AWS S3 user guide, "Bucket naming rules"). */
export const s3BucketName = z.string().refine(
  (v) =>
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) &&
    !v.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(v) &&
    !v.startsWith("xn--") &&
    !v.startsWith("sthree-") &&
    !v.endsWith("-s3alias") &&
    !v.endsWith("--ol-s3"),
  {
    message:
      "must be an S3 bucket name: 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending alphanumeric, no '..', not an IP address",
  },
);

export const awsRegion = z
  .string()
  .regex(/^(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/, {
    message: "must be an AWS region such as eu-west-2",
  });

export const awsAccountId = z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" });

/** An ARN, optionally restricted to one service (`arn:aws:iam::123456789012:role/x`). */
export function arn(service?: string) {
  const svc = service ?? "[a-z0-9-]+";
  return z.string().regex(new RegExp(`^arn:aws(-[a-z]+)*:${svc}:([a-z0-9-]*):(\\d{12})?:.+$`), {
    message: `must be an AWS ${service ? service.toUpperCase() + " " : ""}ARN such as arn:aws:${service ?? "iam"}::123456789012:...`,
  });
}

function isIpv4(v: string): boolean {
  const parts = v.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export const cidr = z.string().refine(
  (v) => {
    const [ip, bits, ...rest] = v.split("/");
    return rest.length === 0 && bits !== undefined && /^\d{1,2}$/.test(bits) && Number(bits) <= 32 && isIpv4(ip);
  },
  { message: "must be an IPv4 CIDR block such as 10.0.0.0/16" },
);

export const httpsUrl = z.string().refine(
  (v) => {
    try {
      return new URL(v).protocol === "https:";
    } catch {
      return false;
    }
  },
  { message: "must be an https:// URL" },
).meta({ pattern: "^https://[^\\s/]+" });

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

/** Five-field cron schedule, as Kubernetes CronJobs take it, that runs at least once a year. */
export const cronSchedule = z.string().superRefine((v, ctx) => {
  const problem = cronProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: v });
});

/** Kubernetes resource quantities. */
export const cpuQuantity = z.string().regex(/^\d+(\.\d+)?m?$/, { message: "must be a CPU quantity such as 250m or 2" });
export const memoryQuantity = z
  .string()
  .regex(/^\d+(Ki|Mi|Gi|Ti)$/, { message: "must be a memory or storage quantity such as 256Mi or 10Gi" });

/** Bytes in a binary quantity as memoryQuantity accepts it (Ki, Mi, Gi, Ti). */
export function quantityBytes(quantity: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!m) throw new Error(`not a binary quantity such as 512Mi or 10Gi: ${JSON.stringify(quantity)}`);
  const power = { Ki: 1, Mi: 2, Gi: 3, Ti: 4 }[m[2] as "Ki" | "Mi" | "Gi" | "Ti"];
  return Number(m[1]) * 1024 ** power;
}

const PATH_SEGMENTS = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/**
 * The longest mount, role or secret path the config takes. Vault sets no limit of its own, but every path becomes
 * part of request URLs, policy paths and Terraform addresses; a longer one is a mistake, not a layout.
 */
export const MAX_VAULT_PATH = 256;

/** A Vault mount or role path segment: no leading or trailing slash, at most MAX_VAULT_PATH characters. */
export const vaultPath = z
  .string()
  .regex(PATH_SEGMENTS, { message: "must be a Vault path without leading or trailing '/'" })
  .max(MAX_VAULT_PATH);

/**
 * An S3 key prefix written like a path (no leading or trailing '/'): bounded by the S3 key length of the objects
 * written under it (stacks/preflight.ts), not by MAX_VAULT_PATH.
 */
export const s3KeyPrefix = z.string().regex(PATH_SEGMENTS, { message: "must be a key prefix of path segments without leading or trailing '/'" });

/** The longest description or other free text the config takes (a reviewer reads it; Vault stores it per mount). */
export const MAX_FREE_TEXT = 1_000;

/** Free text (descriptions): at most MAX_FREE_TEXT characters. */
export const freeText = z.string().max(MAX_FREE_TEXT);

export const vaultName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: "must be a name of lower-case letters, digits, '-' and '_'" });

export const semver = z
  .string()
  .regex(/^\d+\.\d+\.\d+$/, { message: "must be an exact version such as 0.34.1 (no ranges, no 'latest')" });
