import { awsStsTtl } from "../../../../compliance/packs/vault-config/aws-sts-ttl";
import { AWS_ROLE, checkAws } from "./fixtures";

describe("VCF-AWS-002 awsStsTtl", () => {
  it("is compliant with 900 <= default <= max <= 3600", () => {
    expect(checkAws(awsStsTtl, AWS_ROLE)).toEqual({ status: "compliant", evidence: `${AWS_ROLE} default_sts_ttl = 900, max_sts_ttl = 3600` });
  });

  it("is non-compliant when unset (Vault would fall back to the mount's maximum) or beyond role chaining's hour", () => {
    expect(checkAws(awsStsTtl, AWS_ROLE, (r) => { delete r.default_sts_ttl; r.max_sts_ttl = 43200; })).toEqual({
      status: "non-compliant",
      found: `${AWS_ROLE} default_sts_ttl = (unset) (900 to 3600 required), max_sts_ttl = 43200 (900 to 3600 required)`,
    });
  });

  it("is non-compliant when the default exceeds the maximum", () => {
    expect(checkAws(awsStsTtl, AWS_ROLE, (r) => Object.assign(r, { default_sts_ttl: 3600, max_sts_ttl: 1800 }))).toEqual({
      status: "non-compliant",
      found: `${AWS_ROLE} default_sts_ttl 3600 exceeds max_sts_ttl 1800`,
    });
  });
});
