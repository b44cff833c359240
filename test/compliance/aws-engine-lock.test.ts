/**
 * The AWS secrets engine's mount is stateful like every other mount (config/stateful.ts): in the committed locks,
 * refused at synth when the engine is removed or made local, accepted when only its roles or TTLs change.
 */
import { join } from "node:path";
import { Testing } from "cdktf";
import { readStatefulLock } from "../../config/stateful";
import { checkStatefulLock, statefulInventory } from "../../compliance/stateful-lock";
import { addEnvironment } from "../../stacks/environment";
import { StackView } from "../../synthesized/stack-view";
import { ROOT, configFor, defaultPolicies, synthJson } from "../helpers";

jest.setTimeout(60_000);

describe.each(["dev", "prod"] as const)("the AWS engine in %s's stateful lock", (env) => {
  const lock = readStatefulLock(join(ROOT, "config"), env).lock!;
  const stack = `vault-config-${env}`;
  const address = "vault_aws_secret_backend.aws";

  async function problemsAfter(edit: (raw: Record<string, any>) => void): Promise<string[]> {
    const config = configFor(env, edit);
    const stacks = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies()));
    const current = statefulInventory(stacks.map((s) => new StackView(s.node.id, synthJson(s))));
    return checkStatefulLock(`config/${env}.yaml`, config, lock, current);
  }

  it("is recorded in the committed lock", () => {
    expect(Object.keys(lock[stack]!)).toContain(address);
  });

  it("accepts a changed role (new target, shorter TTL): roles are recreated from config, no data is lost", async () => {
    expect(
      await problemsAfter((raw) => {
        raw.vault.aws.roles[0].roleArns.push(`arn:aws:iam::${raw.aws.accountId}:role/second-target`);
        raw.vault.aws.roles[0].maxStsTtl = "30m";
      }),
    ).toEqual([]);
  });

  it("refuses removing the engine (every issued lease goes with the mount)", async () => {
    const problems = await problemsAfter((raw) => {
      delete raw.vault.aws;
      for (const id of raw.applications) delete id.awsRoles;
    });
    expect(problems).toEqual([expect.stringContaining(`\`${address}\` is no longer synthesized: the next plan destroys it`)]);
  });
});
