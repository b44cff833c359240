import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { isVaultChart, labelledBlocks, serverConfig } from "./vault-release";

const STATIC_CREDENTIALS = ["access_key", "secret_key", "session_token"];

/** Auto-unseal with AWS KMS, authenticated by the pod's role, not by keys in the config. */
export const awskmsSeal: ComplianceRule = {
  id: "VLT-SEAL-001",
  title: 'Vault auto-unseals with seal "awskms" and no static AWS credentials',
  severity: "high",
  rationale:
    "HashiCorp Vault production hardening: use auto-unseal so no person holds unseal keys; Vault awskms seal docs: " +
    "credentials are read from the environment, shared file or instance/web identity role when access_key and " +
    "secret_key are absent; static keys in the config would sit in a ConfigMap (vault-helm server.ha.raft.config).",
  fix: 'Add seal "awskms" { region = ..., kms_key_id = ... } to server.ha.raft.config without access_key/secret_key/session_token; grant kms:Encrypt/Decrypt/DescribeKey to the server\'s IRSA role.',
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const config = serverConfig(release);
    if (!config.ok) return nonCompliant(config.problem);
    const seals = labelledBlocks(config.hcl, "seal", "awskms");
    if (seals.length === 0) return nonCompliant('server.ha.raft.config has no seal "awskms" block (Shamir unseal or another seal)');
    const found = seals.flatMap((s, i) => STATIC_CREDENTIALS.filter((k) => s[k] !== undefined).map((k) => `seal "awskms"[${i}] sets ${k}`));
    if (found.length > 0) return nonCompliant(`server.ha.raft.config ${found.join(", ")}`);
    const key = seals[0].kms_key_id;
    return compliant(`server.ha.raft.config seal "awskms" kms_key_id = ${JSON.stringify(key ?? null)}, no static credentials`);
  },
};
