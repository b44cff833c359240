import { auditDeviceCount } from "../../../../compliance/packs/vault-config/audit-device-count";
import { blockOf, configStack } from "./fixtures";

describe("VCF-AUD-001 auditDeviceCount", () => {
  it("is compliant with two audit devices", () => {
    const view = configStack();
    expect(auditDeviceCount.check(blockOf(view, "provider.vault"), view)).toEqual({
      status: "compliant",
      evidence: "2 vault_audit resources for provider.vault: vault_audit.file (file at file), vault_audit.stdout (file at stdout)",
    });
  });

  it("is non-compliant with one", () => {
    const view = configStack((j) => delete j.resource.vault_audit.stdout);
    expect(auditDeviceCount.check(blockOf(view, "provider.vault"), view)).toEqual({
      status: "non-compliant",
      found: "1 vault_audit resource(s) for provider.vault: vault_audit.file (file at file) (at least 2 required)",
    });
  });
});
