import { awskmsSeal } from "../../../../compliance/packs/vault-server/awskms-seal";
import { check, hclWith } from "./fixtures";

describe("VLT-SEAL-001 awskms seal without static credentials", () => {
  it("is compliant with an awskms seal using the pod's role", async () => {
    expect(await check(awskmsSeal)).toEqual({
      status: "compliant",
      evidence: 'server.ha.raft.config seal "awskms" kms_key_id = "${aws_kms_key.unseal.arn}", no static credentials',
    });
  });

  it("is non-compliant with static AWS keys in the seal", async () => {
    const outcome = await check(awskmsSeal, {
      values: hclWith('region = "eu-west-2"', 'region = "eu-west-2"\n  access_key = "AKIAEXAMPLE"\n  secret_key = "example"'),
    });
    expect(outcome).toEqual({ status: "non-compliant", found: 'server.ha.raft.config seal "awskms"[0] sets access_key, seal "awskms"[0] sets secret_key' });
  });

  it("is non-compliant without an awskms seal", async () => {
    expect(await check(awskmsSeal, { values: hclWith('seal "awskms"', 'seal "transit"') })).toEqual({
      status: "non-compliant",
      found: 'server.ha.raft.config has no seal "awskms" block (Shamir unseal or another seal)',
    });
  });
});
