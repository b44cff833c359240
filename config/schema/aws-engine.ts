/**
 * `vault.aws`: the AWS secrets engine, opt-in per environment, and only without static keys. Vault's own AWS
 * identity is the server pods' IRSA role (stacks/vault-backup-stack.ts); each role here hands out short-lived STS
 * credentials of one or more target IAM roles (`credential_type = assumed_role`), which an application names in
 * its `awsRoles` and reads at `<path>/creds/<role>`.
 *
 * Upstream: hashicorp/vault builtin/logical/aws/path_roles.go (credential_type, role_arns, default_sts_ttl,
 * max_sts_ttl, session_tags) and path_user.go (`(creds|sts)/<name>`, the TTL capped at max_sts_ttl).
 */
import { z } from "zod";
import { awsRegion, duration, vaultName, vaultPath } from "../formats";
import { durationSeconds } from "../format-rules";
import { ASSUMED_ROLE, IAM_ROLE_ARN, STS_MAX_SECONDS, STS_MIN_SECONDS } from "../aws-engine-rules";
import type { IssueFn } from "./issues";
import type { EnvironmentConfig } from ".";

const targetRoleArn = z.string().superRefine((v, ctx) => {
  if (/[*?]/.test(v)) {
    ctx.addIssue({ code: "custom", message: "must name one IAM role, without * or ? (a wildcard would let Vault hand out any matching role)", input: v });
  } else if (!IAM_ROLE_ARN.test(v)) {
    ctx.addIssue({ code: "custom", message: "must be a full IAM role ARN such as arn:aws:iam::123456789012:role/app-s3-reader", input: v });
  }
});

/** Session tag keys and values as STS accepts them (AssumeRole `Tags`: key 1-128, value 0-256 characters). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const sessionTags = z
  .record(z.string(), z.string())
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    if (keys.length > 50) ctx.addIssue({ code: "custom", message: `must hold at most 50 session tags (STS's limit; got ${keys.length})` });
    for (const [k, v] of Object.entries(tags)) {
      if (k.length < 1 || k.length > 128 || !TAG_TEXT.test(k) || /^aws:/i.test(k)) {
        ctx.addIssue({ code: "custom", path: [k], message: "must be a session tag key of 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:", input: k });
      }
      if (v.length > 256 || !TAG_TEXT.test(v)) {
        ctx.addIssue({ code: "custom", path: [k], message: "must be a session tag value of at most 256 letters, digits, spaces and _.:/=+-@", input: v });
      }
    }
  })
  .default({});

const awsRole = z.strictObject({
  /** The Vault role: credentials are read at `<path>/creds/<name>`. */
  name: vaultName,
  /**
   * Only `assumed_role`: `iam_user` makes Vault create IAM users with access keys (and needs iam:CreateUser and
   * iam:CreateAccessKey on the account); `federation_token` and `session_token` need long-lived user keys.
   * @default "assumed_role"
   */
  credentialType: z
    .string()
    .default(ASSUMED_ROLE)
    .superRefine((v, ctx) => {
      if (v === ASSUMED_ROLE) return;
      const why =
        v === "iam_user"
          ? "iam_user creates IAM users with long-lived access keys, which is what this engine exists to avoid"
          : v === "federation_token" || v === "session_token"
            ? `${v} needs Vault to hold a long-lived IAM user's access key`
            : "Vault knows iam_user, assumed_role, federation_token and session_token";
      ctx.addIssue({ code: "custom", message: `must be assumed_role: ${why}`, input: v });
    }),
  /** The IAM roles Vault assumes for this role (a client picks one with role_arn when there are several). */
  roleArns: z.array(targetRoleArn).min(1, { message: "must name at least one IAM role ARN to assume" }),
  /** Lifetime of credentials read without a ttl (at least 15m, at most maxStsTtl). @default "15m" */
  defaultStsTtl: duration.default("15m"),
  /** Longest lifetime a client may ask for (at most 1h: role chaining). @default "1h" */
  maxStsTtl: duration.default("1h"),
  /** Session tags on every AssumeRole (Vault's session_tags); they need sts:TagSession, granted alongside. */
  sessionTags,
});

export const awsEngine = z.strictObject({
  path: vaultPath.default("aws"),
  /**
   * Region of Vault's STS calls (`region` in `<path>/config/root`).
   * @default - the environment's aws.region
   */
  region: awsRegion.optional(),
  roles: z.array(awsRole).min(1),
  ttls: z
    .strictObject({ defaultLeaseTtl: duration.default("15m"), maxLeaseTtl: duration.default("1h") })
    .prefault({}),
});

export type AwsEngineConfig = z.infer<typeof awsEngine>;

/**
 * Cross-field rules of `vault.aws` and the identities' `awsRoles`: role names unique, TTLs within STS's bounds and
 * in order, each role's targets unique, each `awsRoles` entry naming a role, and each role owned by one
 * application at most (its credentials are that application's alone).
 */
export function checkAwsEngine(c: EnvironmentConfig, issue: IssueFn): void {
  const aws = c.vault.aws;
  const bound = (path: (string | number)[], value: string) => {
    const s = durationSeconds(value);
    if (s < STS_MIN_SECONDS || s > STS_MAX_SECONDS) {
      issue(path, "must be from 15m to 1h: STS issues no shorter session, and role chaining (Vault's own credentials are an IRSA role session) allows none longer", value);
    }
  };
  const names = new Set<string>();
  aws?.roles.forEach((r, i) => {
    const at = ["vault", "aws", "roles", i];
    if (names.has(r.name)) issue([...at, "name"], "must be unique", r.name);
    names.add(r.name);
    bound([...at, "defaultStsTtl"], r.defaultStsTtl);
    bound([...at, "maxStsTtl"], r.maxStsTtl);
    if (durationSeconds(r.defaultStsTtl) > durationSeconds(r.maxStsTtl)) issue([...at, "defaultStsTtl"], `must not exceed maxStsTtl (${r.maxStsTtl})`, r.defaultStsTtl);
    if (durationSeconds(r.maxStsTtl) > durationSeconds(aws.ttls.maxLeaseTtl)) {
      issue([...at, "maxStsTtl"], `must not exceed vault.aws.ttls.maxLeaseTtl (${aws.ttls.maxLeaseTtl}); the lease would end before the credentials`, r.maxStsTtl);
    }
    const seen = new Set<string>();
    r.roleArns.forEach((arn, j) => {
      if (seen.has(arn)) issue([...at, "roleArns", j], "must be unique", arn);
      seen.add(arn);
    });
  });
  if (aws && durationSeconds(aws.ttls.defaultLeaseTtl) > durationSeconds(aws.ttls.maxLeaseTtl)) {
    issue(["vault", "aws", "ttls", "defaultLeaseTtl"], `must not exceed maxLeaseTtl (${aws.ttls.maxLeaseTtl})`, aws.ttls.defaultLeaseTtl);
  }
  const owner = new Map<string, string>();
  for (const section of ["applications", "platform"] as const) {
    c[section].forEach((id, i) =>
      id.awsRoles.forEach((role, j) => {
        const at = [section, i, "awsRoles", j];
        if (!aws) return issue(at, "needs vault.aws (the AWS secrets engine) in this environment", role);
        if (!names.has(role)) return issue(at, `must name a role in vault.aws.roles (have: ${[...names].join(", ")})`, role);
        const other = owner.get(role);
        if (other && other !== id.name) issue(at, `must not be shared: ${other} already reads ${aws.path}/creds/${role} (give each identity its own role)`, role);
        owner.set(role, id.name);
      }),
    );
  }
}
