/**
 * Checks that used to throw from constructs and stacks are config problems now: each names the file and the
 * field, and all of them come out of one run (main's validateInputs, the path synth takes). Values that overflow
 * or never fire are refused by the schema.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigError, validateEnvironment } from "../../config/load";
import { cronProblem } from "../../config/cron";
import { MAX_DURATION_SECONDS } from "../../config/format-rules";
import { validateInputs } from "../../main";
import { iamRoleNames } from "../../stacks/vault-backup-stack";
import { ROOT, rawConfig } from "../helpers";

/** Writes edited copies of both committed configs and validates them as synth does; returns every problem. */
async function problemsOf(edit: { dev?: (raw: any) => void; prod?: (raw: any) => void }): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "vault-platform-derived-"));
  for (const env of ["dev", "prod"] as const) {
    const raw: any = rawConfig(env);
    edit[env]?.(raw);
    writeFileSync(join(dir, `${raw.environment ?? env}.yaml`), stringify(raw));
  }
  try {
    await validateInputs(dir, join(ROOT, "policies"));
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe("checks of what the stacks derive, reported as config problems", () => {
  it("reports every derived problem of every file in one run, each with its file and field", async () => {
    const longEnv = "e".repeat(40);
    const problems = await problemsOf({
      dev: (c) => {
        c.backup.bucket = "b".repeat(60);
        c.backup.images = { vault: "hashicorp/vault:latest", awsCli: "amazon/aws-cli" };
        c.platform = c.platform.filter((i: any) => !i.policies.includes("terraform-ci"));
      },
      prod: (c) => {
        c.environment = longEnv;
        c.backup.replication.bucket = "r".repeat(60);
      },
    });
    const expected = [
      /dev\.yaml: backup\.bucket: makes the access-log bucket name b{60}-logs \(65 characters; S3 allows 63\): shorten it or set backup\.logBucket/,
      /dev\.yaml: backup\.images\.vault: must be pinned to a version tag or a sha256 digest .*\(got "hashicorp\/vault:latest"\)/,
      /dev\.yaml: backup\.images\.awsCli: must be pinned .*\(got "amazon\/aws-cli"\)/,
      /dev\.yaml: platform: must include a jwt identity with the terraform-ci policy/,
      new RegExp(`${longEnv}\\.yaml: environment: makes the IAM role name ${iamRoleNames(longEnv).snapshotReplication} 67 characters long \\(IAM allows 64\\): use at most 37 characters`),
      /e{40}\.yaml: backup\.replication\.bucket: makes the replica's access-log bucket name r{60}-logs/,
    ];
    for (const pattern of expected) expect(problems).toContainEqual(expect.stringMatching(pattern));
    expect(problems).toHaveLength(expected.length);
  });

  it("fails if two of the buckets would share a name (log bucket named like the snapshot bucket)", async () => {
    const problems = await problemsOf({ dev: (c) => (c.backup.logBucket = c.backup.bucket) });
    expect(problems).toEqual([expect.stringMatching(/dev\.yaml: backup\.logBucket: gives a bucket the name vault-platform-dev-raft-snapshots, which backup\.bucket already uses/)]);
  });

  it("fails if a STANDARD_IA transition comes before 30 days (an S3 rule)", () => {
    const raw: any = rawConfig("prod");
    raw.backup.transition = { days: 10, storageClass: "STANDARD_IA" };
    expect(validateEnvironment(raw).problems).toContainEqual("backup.transition.days: must be at least 30 for STANDARD_IA (an S3 rule) (got 10)");
  });

  it("accepts the committed configs unchanged", async () => {
    expect(await problemsOf({})).toEqual([]);
  });
});

describe("values that overflow or never fire", () => {
  it("fails if a TTL does not fit Vault's int64 nanosecond durations, instead of writing null", () => {
    const raw: any = rawConfig("dev");
    raw.vault.kv[0].ttls = { defaultLeaseTtl: "1h", maxLeaseTtl: `${"9".repeat(400)}h` };
    raw.applications[0].auth.tokenMaxTtl = `${Math.floor(MAX_DURATION_SECONDS / 3600) + 1}h`;
    const problems = validateEnvironment(raw).problems;
    expect(problems).toContainEqual(expect.stringMatching(/^vault\.kv\[0\]\.ttls\.maxLeaseTtl: must be at most 2562047h \(Vault durations are int64 nanoseconds/));
    expect(problems).toContainEqual(expect.stringMatching(/^applications\[0\]\.auth\.tokenMaxTtl: must be at most 2562047h .*\(got "2562048h"\)/));
  });

  it.each([
    ["0 0 30 2 *", /never runs: no selected month has the selected day of month/],
    ["0 0 31 4,6,9,11 *", /never runs/],
    ["0 0 29 2 *", /runs only on 29 February, once in four years/],
    ["61 * * * *", /the minute field "61" is outside 0-59/],
    ["0 0 * 13 *", /the month field "13" is outside 1-12/],
    ["0 * * *", /must be a five-field cron schedule/],
    ["@hourly x", /must be a five-field cron schedule/],
    // Kubernetes (robfig/cron v3) refuses 7 for Sunday: the CronJob would fail at apply.
    ["0 3 * * 7", /the day of week field "7" is outside 0-6/],
  ])("fails if the backup schedule is %s", (schedule, message) => {
    const raw: any = rawConfig("dev");
    raw.backup.schedule = schedule;
    expect(validateEnvironment(raw).problems).toEqual([expect.stringMatching(new RegExp(`^backup\\.schedule: .*${message.source}.*\\(got "${schedule.replace(/[*]/g, "\\*")}"\\)$`))]);
  });

  it.each(["0 * * * *", "*/15 * * * *", "0 0 31 * *", "0 0 30 2 1", "0 3 1-7 * 0", "5/15 0-23/2 * 1,6,12 *"])("accepts the schedule %s", (schedule) => {
    expect(cronProblem(schedule)).toBeUndefined();
  });
});
