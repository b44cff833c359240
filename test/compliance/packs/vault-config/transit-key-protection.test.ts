import { transitKeyProtection } from "../../../../compliance/packs/vault-config/transit-key-protection";
import { blockOf, configStack } from "./fixtures";

const key = "vault_transit_secret_backend_key.key";

describe("VCF-TRN-001 transitKeyProtection", () => {
  it("is compliant when the key stays in Vault and rotates", () => {
    const view = configStack();
    expect(transitKeyProtection.check(blockOf(view, key), view)).toEqual({
      status: "compliant",
      evidence: `${key} exportable = false, deletion_allowed = false, allow_plaintext_backup = false, auto_rotate_period = 2592000`,
    });
  });

  it("is non-compliant when exportable, deletable, plaintext-backupable or never rotated", () => {
    const view = configStack((j) => {
      Object.assign(j.resource.vault_transit_secret_backend_key.key, { exportable: true, deletion_allowed: true, allow_plaintext_backup: true });
      delete j.resource.vault_transit_secret_backend_key.key.auto_rotate_period;
    });
    expect(transitKeyProtection.check(blockOf(view, key), view)).toEqual({
      status: "non-compliant",
      found: `${key} exportable = true, deletion_allowed = true, allow_plaintext_backup = true, auto_rotate_period = (unset) (positive seconds required)`,
    });
  });
});
