import { compliant, nonCompliant, type ComplianceRule } from "../../rule";
import { show } from "./shapes";

const MINIMUM_DAYS = 7;

export const kmsDeletionWindow: ComplianceRule = {
  id: "AWS-KMS-003",
  title: "KMS keys have a deletion waiting period of at least 7 days",
  severity: "medium",
  rationale:
    "AWS KMS developer guide (Deleting AWS KMS keys): deleting a key makes every ciphertext under it unrecoverable, so deletion is " +
    "scheduled with a waiting period during which it can be cancelled; for the unseal and snapshot keys that window is the " +
    "last chance to save the cluster and its backups. AWS allows 7-30 days; this project configures 30.",
  fix: "Set deletion_window_in_days = 30 on the aws_kms_key (never less than 7).",
  appliesTo: ["aws_kms_key"],
  check(key) {
    const days = key.attributes.deletion_window_in_days;
    if (days === undefined) return compliant(`${key.address} deletion_window_in_days unset (AWS default 30)`);
    if (typeof days === "number" && days >= MINIMUM_DAYS) return compliant(`${key.address} deletion_window_in_days = ${days}`);
    return nonCompliant(`${key.address} deletion_window_in_days = ${show(days)} (at least ${MINIMUM_DAYS} required)`);
  },
};
