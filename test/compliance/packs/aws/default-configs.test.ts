import { Testing } from "cdktf";
import { evaluateStack, type Finding } from "../../../../compliance/evaluate";
import { awsPack } from "../../../../compliance/packs/aws";
import { StackView } from "../../../../synthesized/stack-view";
import { addEnvironment } from "../../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../../helpers";

/** The AWS pack's findings over the synthesized backup stack of `env` (no suppressions applied). */
async function findings(env: "dev" | "prod", edit?: (raw: Record<string, any>) => void): Promise<Finding[]> {
  const { backup } = addEnvironment(Testing.app(), configFor(env, edit), await defaultPolicies());
  return evaluateStack(new StackView(backup.node.id, synthJson(backup)), [awsPack], []);
}

const describeFinding = (f: Finding) => `${f.rule.id} ${f.address}: ${f.outcome.status === "non-compliant" ? f.outcome.found : ""}`;

describe.each(["dev", "prod"] as const)("AWS pack on the default %s config", (env) => {
  let all: Finding[];
  beforeAll(async () => {
    all = await findings(env);
  });

  it("has no non-compliant finding", () => {
    expect(all.filter((f) => f.outcome.status === "non-compliant").map(describeFinding)).toEqual([]);
  });

  it("evaluates every bucket, key and IAM rule against real resources", () => {
    const evaluated = new Set(all.map((f) => f.rule.id));
    expect([...evaluated].sort()).toEqual(awsPack.rules.map((r) => r.id).sort());
  });
});

describe("AWS pack with backup.encryption: aes256", () => {
  it("reports the snapshot bucket's SSE-S3 as non-compliant, so the weaker choice needs a reasoned suppression", async () => {
    const all = await findings("dev", (raw) => {
      raw.backup.encryption = "aes256";
      raw.backup.encryptionReason = "test: a consumer without KMS access reads the snapshots";
    });
    const sse = all.filter((f) => f.rule.id === "AWS-S3-002" && f.outcome.status === "non-compliant");
    expect(sse.map((f) => f.address)).toEqual(["aws_s3_bucket.snapshots"]);
    expect(sse[0].outcome).toMatchObject({ found: expect.stringContaining("sse_algorithm = AES256 (SSE-KMS with a customer managed key required)") });
    // The bucket policy still demands the bucket's own algorithm on upload: only the encryption choice itself is flagged.
    expect(all.filter((f) => f.rule.id === "AWS-S3-007").every((f) => f.outcome.status === "compliant")).toBe(true);
  });
});
