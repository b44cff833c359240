/** `vault.aws` and `awsRoles`: what the schema accepts, and every refusal naming the file, field, value and why. */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigError, loadEnvironments } from "../../config/load";
import { RULE_IDS } from "../../compliance/packs";
import { awsTargetRoleArns } from "../../config/aws-engine-rules";
import { configFor, rawConfig } from "../helpers";

const POLICIES = new Set(readdirSync(join(__dirname, "../../policies")).filter((f) => f.endsWith(".hcl")).map((f) => f.slice(0, -4)));

/** The problems of `config/<env>.yaml` after `edit`, loaded from a file as synth loads it. */
function problems(env: "dev" | "prod", edit: (raw: any) => void): string[] {
  const dir = mkdtempSync(join(tmpdir(), "vault-platform-aws-"));
  const raw = rawConfig(env);
  edit(raw);
  writeFileSync(join(dir, `${env}.yaml`), stringify(raw));
  try {
    loadEnvironments(dir, { policyNames: POLICIES, ruleIds: RULE_IDS });
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

const role = (raw: any) => raw.vault.aws.roles[0];
const appIndex = (raw: any, name: string) => raw.applications.findIndex((a: any) => a.name === name);

describe.each(["dev", "prod"] as const)("vault.aws in %s", (env) => {
  const file = `${env}.yaml`;

  it("is configured for Phoenix Guardian: assumed_role on full role ARNs, 15m to 1h", () => {
    const config = configFor(env);
    const pg = config.applications.find((a) => a.name === "phoenix-guardian")!;
    expect(pg.awsRoles.length).toBeGreaterThan(0);
    for (const name of pg.awsRoles) {
      const r = config.vault.aws!.roles.find((x) => x.name === name)!;
      expect(r.credentialType).toBe("assumed_role");
      expect(r.roleArns.every((a) => /^arn:aws:iam::\d{12}:role\/[^*?]+$/.test(a))).toBe(true);
    }
    expect(awsTargetRoleArns(config.vault.aws).length).toBeGreaterThan(0);
  });

  it("fails if a role asks for iam_user, saying why", () => {
    expect(problems(env, (raw) => (role(raw).credentialType = "iam_user"))).toEqual([
      expect.stringMatching(new RegExp(`${file}: vault\\.aws\\.roles\\[0\\]\\.credentialType: must be assumed_role: iam_user creates IAM users with long-lived access keys.* \\(got "iam_user"\\)`)),
    ]);
  });

  it("fails if a role asks for federation_token or an unknown type", () => {
    expect(problems(env, (raw) => (role(raw).credentialType = "federation_token"))).toEqual([expect.stringMatching(/credentialType: must be assumed_role: federation_token needs Vault to hold a long-lived IAM user's access key/)]);
    expect(problems(env, (raw) => (role(raw).credentialType = "root"))).toEqual([expect.stringMatching(/credentialType: must be assumed_role: Vault knows iam_user, assumed_role/)]);
  });

  it("fails if a target ARN has a wildcard, is not a role, or is partial", () => {
    const got = problems(env, (raw) => (role(raw).roleArns = ["arn:aws:iam::111111111111:role/*", "arn:aws:iam::111111111111:user/app", "phoenix-guardian-app"]));
    expect(got).toEqual([
      expect.stringMatching(/vault\.aws\.roles\[0\]\.roleArns\[0\]: must name one IAM role, without \* or \?.*\(got "arn:aws:iam::111111111111:role\/\*"\)/),
      expect.stringMatching(/roleArns\[1\]: must be a full IAM role ARN such as .*\(got "arn:aws:iam::111111111111:user\/app"\)/),
      expect.stringMatching(/roleArns\[2\]: must be a full IAM role ARN .*\(got "phoenix-guardian-app"\)/),
    ]);
  });

  it("fails if the STS TTLs leave 15m to 1h or are out of order", () => {
    expect(problems(env, (raw) => Object.assign(role(raw), { defaultStsTtl: "5m", maxStsTtl: "12h" }))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/vault\.aws\.roles\[0\]\.defaultStsTtl: must be from 15m to 1h: STS issues no shorter session.*\(got "5m"\)/),
        expect.stringMatching(/maxStsTtl: must be from 15m to 1h: .*role chaining.*\(got "12h"\)/),
      ]),
    );
    expect(problems(env, (raw) => Object.assign(role(raw), { defaultStsTtl: "1h", maxStsTtl: "30m" }))).toEqual([
      expect.stringMatching(/vault\.aws\.roles\[0\]\.defaultStsTtl: must not exceed maxStsTtl \(30m\) \(got "1h"\)/),
    ]);
  });

  it("fails if a session tag key is reserved", () => {
    expect(problems(env, (raw) => (role(raw).sessionTags = { "aws:team": "x" }))).toEqual([expect.stringMatching(/sessionTags\.aws:team: must be a session tag key .*not starting with aws:/)]);
  });

  it("fails if an application names an unknown role, or two identities share one", () => {
    expect(problems(env, (raw) => (raw.applications[appIndex(raw, "phoenix-guardian")].awsRoles = ["nope"]))).toEqual([
      expect.stringMatching(/applications\[\d+\]\.awsRoles\[0\]: must name a role in vault\.aws\.roles \(have: phoenix-guardian\) \(got "nope"\)/),
    ]);
    expect(problems(env, (raw) => (raw.applications[appIndex(raw, "voicehive")].awsRoles = ["phoenix-guardian"]))).toEqual([
      expect.stringMatching(/applications\[\d+\]\.awsRoles\[0\]: must not be shared: phoenix-guardian already reads aws\/creds\/phoenix-guardian/),
    ]);
  });

  it("fails if awsRoles is set without vault.aws", () => {
    expect(problems(env, (raw) => delete raw.vault.aws)).toEqual([expect.stringMatching(/applications\[\d+\]\.awsRoles\[0\]: needs vault\.aws \(the AWS secrets engine\)/)]);
  });

  it("fails if the engine's path collides with another engine or is reserved by Vault", () => {
    expect(problems(env, (raw) => (raw.vault.aws.path = raw.vault.transit.path))).toEqual([expect.stringMatching(/vault\.aws\.path: collides with vault\.transit\.path/)]);
    expect(problems(env, (raw) => (raw.vault.aws.path = "sys/aws"))).toEqual([expect.stringMatching(/vault\.aws\.path: must not be under sys\//)]);
  });

  it("fails if the config tries to hand Vault a static key", () => {
    expect(problems(env, (raw) => (raw.vault.aws.accessKey = "AKIAEXAMPLE"))).toEqual([expect.stringMatching(/vault\.aws\.accessKey: unknown key/)]);
  });
});
