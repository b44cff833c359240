/** The report says where audit evidence lives and for how long, read from the synthesized stacks alone. */
import { Testing } from "cdktf";
import { audit } from "../../../compliance/report/server";
import { toMarkdown } from "../../../document/document";
import { addEnvironment } from "../../../stacks/environment";
import { StackView } from "../../../synthesized/stack-view";
import { configFor, defaultPolicies, synthJson } from "../../helpers";

describe.each(["dev", "prod"] as const)("audit evidence in the %s report", (env) => {
  const config = configFor(env);
  let md: string;
  beforeAll(async () => {
    const stacks = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies())).map((s) => new StackView(s.node.id, synthJson(s)));
    md = toMarkdown(audit({ stacks }));
  });

  it("names the off-host copy: bucket, prefix, lock mode and retention, key", () => {
    const a = config.backup.auditArchive!;
    expect(md).toContain("Where audit evidence lives");
    expect(md).toContain(`s3://${a.bucket}/${a.prefix}/${env}/`);
    expect(md).toContain(`Object Lock COMPLIANCE, ${a.retentionDays} days`);
    expect(md).toMatch(/`aws_kms_key\.audit-key`/);
    // What writes it: the shipper in each Vault pod, read from the cluster stack's Helm values.
    expect(md).toContain(`Written by ${a.shipperImage} in each Vault pod (vault-cluster-${env})`);
  });

  it("names the on-host copies: the file device's path on the audit volume, and standard output", () => {
    for (const d of config.vault.audit) expect(md).toContain(d.type === "file" ? d.filePath : d.address);
  });
});
