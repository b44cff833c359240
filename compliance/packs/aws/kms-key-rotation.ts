import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { show } from "./shapes";

export const kmsKeyRotation: ComplianceRule = {
  id: "AWS-KMS-001",
  title: "Symmetric KMS keys have automatic rotation enabled",
  severity: "medium",
  rationale:
    "CIS AWS Foundations Benchmark 3.x (Logging): ensure rotation for customer-created symmetric CMKs is enabled; AWS KMS best " +
    "practices: automatic rotation replaces the key material yearly while old ciphertexts stay decryptable.",
  fix: "Set enable_key_rotation = true on the aws_kms_key.",
  appliesTo: ["aws_kms_key"],
  check(key) {
    const spec = key.attributes.customer_master_key_spec ?? key.attributes.key_spec;
    // Automatic rotation exists only for symmetric encryption keys (asymmetric and HMAC keys cannot rotate).
    if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return notApplicable;
    if (key.attributes.enable_key_rotation === true) return compliant(`${key.address} enable_key_rotation = true`);
    return nonCompliant(`${key.address} enable_key_rotation = ${show(key.attributes.enable_key_rotation)}`);
  },
};
