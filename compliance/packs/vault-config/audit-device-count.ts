import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

const MINIMUM_DEVICES = 2;

export const auditDeviceCount: ComplianceRule = {
  id: "VCF-AUD-001",
  title: "Vault has at least two audit devices",
  severity: "high",
  rationale:
    "HashiCorp Vault production hardening: enable auditing; Vault audit devices documentation: if every enabled audit device " +
    "fails to record a request, Vault refuses to serve it, so with one device a full disk or a broken pipe stops Vault. Two " +
    "devices keep Vault available and still audited while one is repaired.",
  fix: "List at least two devices under vault.audit in config (e.g. a file device and a stdout device).",
  appliesTo: ["provider.vault"],
  check(provider, stack) {
    const devices = stack.of("vault_audit");
    const described = devices.map((d) => `${d.address} (${String(d.attributes.type)} at ${String(d.attributes.path)})`).join(", ");
    if (devices.length >= MINIMUM_DEVICES) return compliant(`${devices.length} vault_audit resources for ${provider.address}: ${described}`);
    return nonCompliant(`${devices.length} vault_audit resource(s) for ${provider.address}${described ? `: ${described}` : ""} (at least ${MINIMUM_DEVICES} required)`);
  },
};
