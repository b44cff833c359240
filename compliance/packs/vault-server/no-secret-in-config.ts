import { compliant, nonCompliant, notApplicable, type ComplianceRule } from "../../rule";
import { isVaultChart, serverConfig } from "./vault-release";

/** Attribute names whose value is a credential wherever Vault's config uses them (storage, seal, retry_join ...). */
const SECRET_KEYS = new Set([
  "token",
  "password",
  "secret_key",
  "access_key",
  "session_token",
  "client_secret",
  "secret_id",
  "api_key",
  // retry_join's inline PEM client key (leader_client_key_file, a path, is fine).
  "leader_client_key",
]);
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

function secretKeysIn(node: unknown, path: string, out: string[]): void {
  if (Array.isArray(node)) node.forEach((n) => secretKeysIn(n, path, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      const here = path ? `${path}.${k}` : k;
      if (SECRET_KEYS.has(k) && v !== "" && v !== null) out.push(here);
      else secretKeysIn(v, here, out);
    }
  }
}

/** The server config holds no credential and no private key: it is stored in a ConfigMap, readable in plain text. */
export const noSecretInConfig: ComplianceRule = {
  id: "VLT-SEC-001",
  title: "The Vault server config contains no token, password, access key or private key",
  severity: "critical",
  rationale:
    "HashiCorp Vault production hardening: do not put credentials in configuration files (use environment or " +
    "workload identity); vault-helm chart docs: server.ha.raft.config is rendered into a ConfigMap, which is " +
    "neither encrypted nor access-controlled like a Secret, and the Terraform state and plan hold it too.",
  fix: "Remove the credential from server.ha.raft.config; use the IRSA role (AWS), a file mounted from a Secret (TLS keys: *_file attributes) or an environment variable from a Secret.",
  appliesTo: ["helm_release"],
  check(release) {
    if (!isVaultChart(release)) return notApplicable;
    const config = serverConfig(release);
    if (!config.ok) return nonCompliant(config.problem);
    const found: string[] = [];
    secretKeysIn(config.hcl, "", found);
    if (PRIVATE_KEY.test(config.text)) found.push("PEM private key block");
    if (found.length > 0) return nonCompliant(`server.ha.raft.config contains ${found.join(", ")}`);
    return compliant("server.ha.raft.config: no credential attribute and no private key block");
  },
};
