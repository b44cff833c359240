import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

/** Attributes that must stay false (their Vault default); absent is the default. */
const MUST_BE_FALSE = ["exportable", "deletion_allowed", "allow_plaintext_backup"] as const;

export const transitKeyProtection: ComplianceRule = {
  id: "VCF-TRN-001",
  title: "Transit keys cannot be exported, deleted or backed up in plaintext, and rotate automatically",
  severity: "high",
  rationale:
    "Vault transit secrets engine documentation: exportable and allow_plaintext_backup are one-way switches that let the key " +
    "material leave Vault (they can never be turned off again), deletion_allowed permits destroying a key and every ciphertext " +
    "with it; auto_rotate_period limits how much data one key version encrypts (NIST SP 800-57 cryptoperiods).",
  fix: "On the vault_transit_secret_backend_key set exportable, deletion_allowed and allow_plaintext_backup to false and auto_rotate_period to a positive number of seconds (e.g. 2592000, 30 days).",
  appliesTo: ["vault_transit_secret_backend_key"],
  check(key) {
    const a = key.attributes;
    const found: string[] = MUST_BE_FALSE.filter((k) => a[k] !== undefined && a[k] !== false).map((k) => `${k} = ${JSON.stringify(a[k])}`);
    const period = a.auto_rotate_period;
    if (!(typeof period === "number" && period > 0)) found.push(`auto_rotate_period = ${JSON.stringify(period) ?? "(unset)"} (positive seconds required)`);
    if (found.length > 0) return nonCompliant(`${key.address} ${found.join(", ")}`);
    return compliant(`${key.address} ${MUST_BE_FALSE.map((k) => `${k} = ${a[k] === undefined ? "(unset, default false)" : "false"}`).join(", ")}, auto_rotate_period = ${period as number}`);
  },
};
