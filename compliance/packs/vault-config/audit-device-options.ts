import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

/** Audit options are strings in Vault's API; accept the boolean form the provider also passes through. */
const isTrue = (v: unknown) => v === true || v === "true";
const isFalse = (v: unknown) => v === false || v === "false";

export const auditDeviceOptions: ComplianceRule = {
  id: "VCF-AUD-002",
  title: "Audit devices HMAC token accessors and never log raw secrets",
  severity: "high",
  rationale:
    "Vault audit devices documentation (common options): log_raw = true writes secrets and tokens in clear text into the audit " +
    "log, and hmac_accessor = false writes token accessors in clear, which lets a log reader revoke or look up tokens. Vault's " +
    "defaults are safe (hmac_accessor true, log_raw false); the project states hmac_accessor explicitly so the intent is reviewable.",
  fix: "Set options { hmac_accessor = \"true\", log_raw = \"false\" } on the vault_audit resource.",
  appliesTo: ["vault_audit"],
  check(device) {
    const options = (device.attributes.options ?? {}) as Record<string, unknown>;
    const found: string[] = [];
    if (!isTrue(options.hmac_accessor)) found.push(`options.hmac_accessor = ${JSON.stringify(options.hmac_accessor) ?? "(unset)"} (explicit "true" required)`);
    if (options.log_raw !== undefined && !isFalse(options.log_raw)) found.push(`options.log_raw = ${JSON.stringify(options.log_raw)}`);
    if (found.length > 0) return nonCompliant(`${device.address} ${found.join(", ")}`);
    return compliant(`${device.address} options.hmac_accessor = "true", options.log_raw = ${JSON.stringify(options.log_raw) ?? "(unset, default false)"}`);
  },
};
