import { auditDeviceOptions } from "../../../../compliance/packs/vault-config/audit-device-options";
import { blockOf, configStack } from "./fixtures";

describe("VCF-AUD-002 auditDeviceOptions", () => {
  it("is compliant with hmac_accessor \"true\" and log_raw \"false\" or unset", () => {
    const view = configStack();
    expect(auditDeviceOptions.check(blockOf(view, "vault_audit.file"), view)).toEqual({
      status: "compliant",
      evidence: 'vault_audit.file options.hmac_accessor = "true", options.log_raw = "false"',
    });
    expect(auditDeviceOptions.check(blockOf(view, "vault_audit.stdout"), view).status).toBe("compliant");
  });

  it("is non-compliant with log_raw on, or hmac_accessor left implicit", () => {
    const view = configStack((j) => {
      j.resource.vault_audit.file.options.log_raw = "true";
      delete j.resource.vault_audit.file.options.hmac_accessor;
    });
    expect(auditDeviceOptions.check(blockOf(view, "vault_audit.file"), view)).toEqual({
      status: "non-compliant",
      found: 'vault_audit.file options.hmac_accessor = (unset) (explicit "true" required), options.log_raw = "true"',
    });
  });
});
