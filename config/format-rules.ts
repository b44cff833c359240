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

/** Bytes in a binary quantity as memoryQuantity accepts it (Ki, Mi, Gi, Ti). */
export function quantityBytes(quantity: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!m) throw new Error(`not a binary quantity such as 512Mi or 10Gi: ${JSON.stringify(quantity)}`);
  const power = { Ki: 1, Mi: 2, Gi: 3, Ti: 4 }[m[2] as "Ki" | "Mi" | "Gi" | "Ti"];
  return Number(m[1]) * 1024 ** power;
}
