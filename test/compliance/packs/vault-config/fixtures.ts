/** Hand-written vault-config stack JSON for the Vault configuration rule tests (compliant as built). */
import type { ComplianceRule, RuleOutcome } from "../../../../compliance/rule";
import { StackView, type ResourceView } from "../../../../synthesized/stack-view";

export function configStack(edit?: (json: any) => void): StackView {
  const json: any = {
    provider: {
      vault: [{ address: "https://vault.example:8200", ca_cert_file: "/etc/vault-ca/ca.crt", auth_login_jwt: [{ mount: "jwt", role: "terraform-ci" }] }],
    },
    resource: {
      vault_audit: {
        file: { type: "file", path: "file", options: { file_path: "/vault/audit/audit.log", hmac_accessor: "true", log_raw: "false" } },
        stdout: { type: "file", path: "stdout", options: { file_path: "stdout", hmac_accessor: "true" } },
      },
      vault_transit_secret_backend_key: {
        key: { name: "patient-data", exportable: false, deletion_allowed: false, allow_plaintext_backup: false, auto_rotate_period: 2592000 },
      },
      vault_pki_secret_backend_root_cert: { root: { type: "internal", common_name: "Root CA" } },
      vault_pki_secret_backend_intermediate_cert_request: { csr: { type: "internal", common_name: "Intermediate CA" } },
      vault_pki_secret_backend_role: {
        role: { name: "app", allow_any_name: false, enforce_hostnames: true, allowed_domains: ["app.svc.cluster.local"] },
      },
      vault_kubernetes_auth_backend_role: {
        app: { role_name: "app", bound_service_account_names: ["app"], bound_service_account_namespaces: ["app"], audience: "vault" },
      },
      vault_approle_auth_backend_role: {
        app: { role_name: "app", bind_secret_id: true, secret_id_ttl: 7776000, secret_id_num_uses: 1, token_max_ttl: 28800 },
      },
      vault_jwt_auth_backend_role: {
        ci: { role_name: "ci", bound_audiences: ["https://github.com/example-org"], bound_claims: { repository: "example-org/x" } },
      },
      vault_aws_secret_backend: { aws: { path: "aws", region: "eu-west-2" } },
      vault_aws_secret_backend_role: {
        app: {
          backend: "${vault_aws_secret_backend.aws.path}",
          name: "app",
          credential_type: "assumed_role",
          role_arns: ["arn:aws:iam::111111111111:role/app-s3"],
          default_sts_ttl: 900,
          max_sts_ttl: 3600,
        },
      },
      vault_policy: {
        app: { name: "app", policy: 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\npath "sys/*" {\n  capabilities = ["deny"]\n}\n' },
        admin: { name: "platform-admin", policy: 'path "sys/*" {\n  capabilities = ["create", "update", "sudo"]\n}\n' },
      },
    },
  };
  edit?.(json);
  return new StackView("vault-config-test", json);
}

export function blockOf(view: StackView, address: string): ResourceView {
  const found = view.all().find((b) => b.address === address);
  if (!found) throw new Error(`fixture has no ${address}`);
  return found;
}

/** The AWS secrets engine role and mount of the fixture, for the VCF-AWS rules. */
export const AWS_ROLE = "vault_aws_secret_backend_role.app";
export const AWS_MOUNT = "vault_aws_secret_backend.aws";

/** `rule` on `address` of the fixture after `edit` changes its AWS role and mount. */
export function checkAws(rule: ComplianceRule, address: string, edit?: (role: any, mount: any) => void): RuleOutcome {
  const view = configStack((j) => edit?.(j.resource.vault_aws_secret_backend_role.app, j.resource.vault_aws_secret_backend.aws));
  return rule.check(blockOf(view, address), view);
}
