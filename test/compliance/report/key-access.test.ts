/** "Who can decrypt the backups?": the key policies and the IAM roles that may use each KMS key. */
import { Testing } from "cdktf";
import { keyAccess, keyDecryption, NOBODY } from "../../../compliance/report/key-access";
import { StackView } from "../../../synthesized/stack-view";
import { toMarkdown } from "../../../document/document";
import { addEnvironment } from "../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../helpers";

/** A key whose policy lets `reader` decrypt and `admin` administer it, and two roles whose own policies name it. */
function stack(): StackView {
  const doc = (statement: unknown[]) => ({ statement });
  return new StackView("s", {
    data: {
      aws_iam_policy_document: {
        key_policy: doc([
          { sid: "Admin", effect: "Allow", actions: ["kms:PutKeyPolicy"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:role/admin"] }], resources: ["*"] },
          {
            sid: "Read",
            effect: "Allow",
            actions: ["kms:Decrypt"],
            principals: [{ type: "AWS", identifiers: ["${aws_iam_role.reader.arn}"] }],
            resources: ["*"],
            condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-2.amazonaws.com"] }],
          },
        ]),
        reader_policy: doc([{ effect: "Allow", actions: ["kms:Decrypt"], resources: ["${aws_kms_key.k.arn}"] }]),
        stranger_policy: doc([{ effect: "Allow", actions: ["kms:Decrypt"], resources: ["${aws_kms_key.k.arn}"] }]),
      },
    },
    resource: {
      aws_kms_key: { k: { description: "backups", policy: "${data.aws_iam_policy_document.key_policy.json}" } },
      aws_kms_alias: { a: { name: "alias/backups", target_key_id: "${aws_kms_key.k.key_id}" } },
      aws_s3_bucket: { b: { bucket: "snapshots" } },
      aws_s3_bucket_server_side_encryption_configuration: {
        e: { bucket: "${aws_s3_bucket.b.id}", rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.k.arn}" } }] },
      },
      aws_iam_role: { reader: { name: "reader" }, stranger: { name: "stranger" } },
      aws_iam_role_policy: {
        r: { role: "${aws_iam_role.reader.id}", policy: "${data.aws_iam_policy_document.reader_policy.json}" },
        s: { role: "${aws_iam_role.stranger.id}", policy: "${data.aws_iam_policy_document.stranger_policy.json}" },
      },
    },
  });
}

describe("who can decrypt the backups", () => {
  const md = toMarkdown(keyAccess({ stacks: [stack()] }));

  const row = md.split("\n").find((l) => l.startsWith("| alias/backups"))!.slice(2, -2).split(" | ");

  it("names the key by its alias and what it encrypts", () => {
    expect(row[0]).toBe("alias/backups (s `aws_kms_key.k`)");
    expect(row[1]).toBe("`snapshots`");
  });

  it("answers who can decrypt and who can change that, from the key policy", () => {
    expect(row[2]).toBe("role `reader`");
    expect(row[3]).toBe("`role/admin` (account 111111111111)");
  });

  it("lists the roles whose own policies name the key, and whether the key policy admits them", () => {
    expect(row[4]).toContain("role `reader`: **decrypt**: kms:Decrypt; ");
    expect(row[4]).toContain("role `stranger`: **decrypt**: kms:Decrypt (**the key policy does not name it: KMS refuses**)");
  });

  it("flags a key nobody can decrypt", () => {
    const nobody = stack();
    const policy = nobody.resolve("${data.aws_iam_policy_document.key_policy.json}")!.attributes as { statement: { sid: string }[] };
    policy.statement = policy.statement.filter((st) => st.sid !== "Read");
    const [key] = keyDecryption({ stacks: [nobody] });
    expect(key.decrypt).toEqual([]);
    expect(toMarkdown(keyAccess({ stacks: [nobody] }))).toContain(NOBODY);
  });

  it("says nothing when an environment has no KMS key", () => {
    expect(keyAccess({ stacks: [new StackView("s", { resource: {} })] })).toEqual([]);
  });

  it("on the default prod config, lets only the principals the backup key policy names decrypt snapshots", async () => {
    const config = configFor("prod");
    const backup = synthJson(addEnvironment(Testing.app(), config, await defaultPolicies()).backup);
    const view = new StackView("vault-backup-prod", backup);
    const out = toMarkdown(keyAccess({ stacks: [view] }));
    // The key that encrypts the snapshot bucket, and the roles its policy lets decrypt, read from the synthesized JSON.
    const sse = Object.values<any>(backup.resource.aws_s3_bucket_server_side_encryption_configuration).find((e) => e.bucket === "${aws_s3_bucket.snapshots.id}");
    const keyName = /aws_kms_key\.([^.]+)\./.exec(JSON.stringify(sse.rule))![1];
    const policyName = /aws_iam_policy_document\.([^.]+)\./.exec(backup.resource.aws_kms_key[keyName].policy)![1];
    const decrypters = backup.data.aws_iam_policy_document[policyName].statement
      .filter((s: any) => s.actions.includes("kms:Decrypt"))
      .flatMap((s: any) => s.principals.flatMap((p: any) => p.identifiers))
      .map((id: string) => `role \`${backup.resource.aws_iam_role[/aws_iam_role\.([^.]+)\./.exec(id)![1]].name}\``);
    const keySection = out.split("\n").find((l) => l.includes(`\`aws_kms_key.${keyName}\``))!.slice(2, -2).split(" | ");
    expect(keySection[2]).toBe(decrypters.join(", "));
    for (const arn of config.backup.kmsAdminRoleArns) expect(keySection[3]).toContain(`\`${arn.split(":").pop()}\``);
  }, 60_000);
});
