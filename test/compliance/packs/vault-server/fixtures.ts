/** A small hand-written vault-cluster stack whose `helm_release` passes every Vault server rule; tests edit a copy. */
import { stringify } from "yaml";
import type { ComplianceRule, RuleOutcome } from "../../../../compliance/rule";
import { StackView } from "../../../../synthesized/stack-view";

export const COMPLIANT_HCL = `ui = false
disable_mlock = true

listener "tcp" {
  address = "[::]:8200"
  cluster_address = "[::]:8201"
  tls_cert_file = "/vault/userconfig/vault-tls/tls.crt"
  tls_key_file = "/vault/userconfig/vault-tls/tls.key"
  tls_min_version = "tls12"
}

storage "raft" {
  path = "/vault/data"
  retry_join {
    leader_api_addr = "https://vault-0.vault-internal:8200"
    leader_ca_cert_file = "/vault/userconfig/vault-tls/ca.crt"
  }
  retry_join {
    leader_api_addr = "https://vault-1.vault-internal:8200"
    leader_ca_cert_file = "/vault/userconfig/vault-tls/ca.crt"
  }
}

seal "awskms" {
  region = "eu-west-2"
  kms_key_id = "\${aws_kms_key.unseal.arn}"
}
`;

export function compliantValues(): Record<string, any> {
  return {
    global: { enabled: true, tlsDisable: false },
    server: {
      image: { repository: "hashicorp/vault", tag: "1.20.4" },
      updateStrategyType: "OnDelete",
      ingress: { enabled: false },
      networkPolicy: { enabled: true },
      dataStorage: { enabled: true, size: "10Gi" },
      auditStorage: { enabled: true, size: "10Gi" },
      ha: {
        enabled: true,
        replicas: 3,
        raft: { enabled: true, setNodeId: true, config: COMPLIANT_HCL },
        disruptionBudget: { enabled: true, maxUnavailable: 1 },
      },
      serviceAccount: { create: true, createSecret: false },
    },
    ui: { enabled: false, serviceType: "ClusterIP" },
  };
}

export interface VaultStackEdit {
  /** Edits the values object before it is serialised. */
  readonly values?: (values: Record<string, any>) => void;
  /** Extra or replaced `helm_release` attributes (version, chart, set ...). */
  readonly release?: Record<string, any>;
  /** Extra values documents, merged after the first (as Helm does). */
  readonly extraValues?: string[];
}

/** The stack as JSON: one `helm_release.vault` of the vault chart. */
export function vaultStackJson(edit: VaultStackEdit = {}): Record<string, any> {
  const values = compliantValues();
  edit.values?.(values);
  return {
    resource: {
      helm_release: {
        vault: {
          name: "vault",
          namespace: "vault",
          repository: "https://helm.releases.hashicorp.com",
          chart: "vault",
          version: "0.34.1",
          values: [stringify(values, { lineWidth: 0 }), ...(edit.extraValues ?? [])],
          ...edit.release,
        },
      },
    },
  };
}

/** Runs `rule` on the release of an edited stack, with its HCL primed as synth primes it. */
export async function check(rule: ComplianceRule, edit: VaultStackEdit = {}): Promise<RuleOutcome> {
  const view = new StackView("vault-cluster-dev", vaultStackJson(edit));
  const [release] = view.of("helm_release");
  return rule.check(release, view);
}

/** The HCL of the compliant config with `from` replaced by `to` (fails if `from` is not in it). */
export function hclWith(from: string, to: string): (values: Record<string, any>) => void {
  if (!COMPLIANT_HCL.includes(from)) throw new Error(`fixture HCL has no ${JSON.stringify(from)}`);
  return (values) => {
    values.server.ha.raft.config = COMPLIANT_HCL.replace(from, to);
  };
}
