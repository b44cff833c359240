import { Testing, TerraformStack } from "cdktf";
import { AwsSecretsEngine } from "../../constructs/aws-secrets-engine";
import { durationSeconds } from "../../config/format-rules";
import { addEnvironment } from "../../stacks/environment";
import { configFor, defaultPolicies, onlyResource, resourcesOf, synthJson } from "../helpers";

/** An AWS access key id (long-lived AKIA or temporary ASIA) or a secret-key-shaped value. */
const AWS_KEY = /\b(AKIA|ASIA)[A-Z0-9]{16}\b|"(access_key|secret_key|aws_access_key_id|aws_secret_access_key)":/i;

describe.each(["dev", "prod"] as const)("AwsSecretsEngine from the %s config", (env) => {
  const config = configFor(env);
  const aws = config.vault.aws!;
  let json: any;
  let all: string[];
  beforeAll(async () => {
    const stacks = addEnvironment(Testing.app(), config, await defaultPolicies());
    json = synthJson(stacks.vaultConfig);
    all = [stacks.backup, stacks.cluster, stacks.vaultConfig].map((s) => JSON.stringify(synthJson(s)));
  });

  it("mounts the engine with the region and lease TTLs and no static key, protected from destroy", () => {
    const mount = onlyResource(json, "vault_aws_secret_backend");
    expect(mount).toMatchObject({
      path: aws.path,
      region: aws.region ?? config.aws.region,
      default_lease_ttl_seconds: durationSeconds(aws.ttls.defaultLeaseTtl),
      max_lease_ttl_seconds: durationSeconds(aws.ttls.maxLeaseTtl),
      lifecycle: { prevent_destroy: true },
    });
    for (const key of ["access_key", "secret_key", "role_arn", "identity_token_audience"]) expect(mount).not.toHaveProperty(key);
  });

  it("creates one assumed_role role per configured role, on the mount", () => {
    const roles = Object.values(resourcesOf(json, "vault_aws_secret_backend_role"));
    expect(roles.map((r) => r.name).sort()).toEqual(aws.roles.map((r) => r.name).sort());
    for (const r of aws.roles) {
      const synthesized = roles.find((x) => x.name === r.name);
      expect(synthesized).toEqual(
        expect.objectContaining({
          backend: "${vault_aws_secret_backend.aws.path}",
          credential_type: "assumed_role",
          role_arns: r.roleArns,
          default_sts_ttl: durationSeconds(r.defaultStsTtl),
          max_sts_ttl: durationSeconds(r.maxStsTtl),
        }),
      );
      expect(synthesized.session_tags).toEqual(Object.keys(r.sessionTags).length > 0 ? r.sessionTags : undefined);
      for (const userOnly of ["user_path", "permissions_boundary_arn", "iam_groups", "policy_arns"]) expect(synthesized).not.toHaveProperty(userOnly);
    }
  });

  it("leaves no AWS key anywhere in the environment's synthesized output", () => {
    for (const text of all) expect(text).not.toMatch(AWS_KEY);
  });
});

describe("AwsSecretsEngine", () => {
  const props = { path: "aws", region: "eu-west-2", ttls: { defaultLeaseTtl: "15m", maxLeaseTtl: "1h" } };
  const role = { name: "app", roleArns: ["arn:aws:iam::111111111111:role/app"], defaultStsTtl: "15m", maxStsTtl: "1h" };

  it("fails if a role is not assumed_role", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    expect(() => new AwsSecretsEngine(stack, "aws", { ...props, roles: [{ ...role, credentialType: "iam_user" }] })).toThrow(
      /role app: credentialType must be assumed_role \(got iam_user\)/,
    );
  });

  it("sends no session_tags when a role has none", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    new AwsSecretsEngine(stack, "aws", { ...props, roles: [{ ...role, credentialType: "assumed_role", sessionTags: {} }] });
    expect(onlyResource(synthJson(stack), "vault_aws_secret_backend_role")).not.toHaveProperty("session_tags");
  });

  it("the key pattern catches a static key (the scan is not vacuous)", () => {
    expect(JSON.stringify({ access_key: "x" })).toMatch(AWS_KEY);
    expect("AKIAIOSFODNN7EXAMPLE").toMatch(AWS_KEY);
  });
});
