import { compliant, nonCompliant, type ComplianceRule } from "../../rule";

/** Attributes of vault_aws_secret_backend that would put a static AWS key in config, plan and state. */
const KEY_ATTRIBUTES = ["access_key", "secret_key"] as const;

export const awsNoStaticKeys: ComplianceRule = {
  id: "VCF-AWS-004",
  title: "The AWS secrets engine holds no static AWS key (Vault's identity comes from IRSA)",
  severity: "critical",
  rationale:
    "terraform-provider-vault vault/resource_aws_secret_backend.go writes access_key and secret_key to <path>/config/root and keeps " +
    "them in the Terraform state; a long-lived key there is what the engine exists to replace. Without them Vault's engine " +
    "(builtin/logical/aws/client.go) uses the default credential chain: the server pod's IRSA web identity.",
  fix: "Remove access_key and secret_key from the vault_aws_secret_backend; grant the Vault server's IRSA role sts:AssumeRole on the targets.",
  appliesTo: ["vault_aws_secret_backend"],
  check(mount) {
    const set = KEY_ATTRIBUTES.filter((k) => mount.attributes[k] !== undefined && mount.attributes[k] !== null && mount.attributes[k] !== "");
    if (set.length > 0) return nonCompliant(`${mount.address} sets ${set.join(" and ")} (a static key in config, plan and state)`);
    return compliant(`${mount.address} sets no access_key or secret_key`);
  },
};
