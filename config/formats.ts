/**
 * Value formats shared by the config schema: each is a zod type whose message says what is expected, so a
 * validation error reads `cluster.namespace: must be a Kubernetes name ... (got "Vault")`.
 */
import { z } from "zod";
import { cronProblem } from "./cron";
import { DURATION, durationSeconds, isS3BucketName, MAX_DURATION_SECONDS, S3_BUCKET_NAME_RULE } from "./format-rules";

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

/** S3 general purpose bucket names (config/format-rules.ts). */
export const s3BucketName = z.string().refine(isS3BucketName, { message: S3_BUCKET_NAME_RULE });

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
