/**
 * The restore drill's scratch namespace and its network policy, as Kubernetes manifests the drill workflow applies
 * (`npm run restore-drill-manifest -- <env> | kubectl apply -f -`; docs/restore-drill.md). The scratch Vault that a
 * production snapshot is restored into runs there, never in Vault's own namespace. On unseal the restored expiration
 * manager loads every lease and revokes those whose expiry has passed (hashicorp/vault vault/expiration.go:
 * Restore -> processRestore -> loadEntryInternal -> updatePendingInternal; a past expiry fires at once), and revoking
 * a database lease runs the role's revocation statements against the connection's host: the tenant's real database.
 * This policy is what stops that: every pod of the namespace may send only DNS queries to kube-dns, HTTPS (443) to
 * addresses outside the private networks (AWS KMS and STS to unseal, S3), HTTPS to the listed private endpoints
 * (VPC endpoints, the Kubernetes API for the canary login), and traffic to its own pods on Vault's ports; no database
 * port anywhere. Ingress: its own pods, and the drill pod in Vault's namespace, on Vault's ports.
 */

/** RFC 1918 and the shared address space (RFC 6598): pod, service and VPC addresses, where tenant databases live. */
export const PRIVATE_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] as const;

/** The drill pod's label (docs/restore-drill.md), admitted to the scratch Vault's API. */
export const DRILL_POD_LABEL = { "app.kubernetes.io/name": "vault-restore-drill" } as const;

export const ISOLATION_POLICY_NAME = "restore-drill-isolation";

export interface RestoreDrillIsolationProps {
  /** The scratch namespace. */
  readonly namespace: string;
  /** Vault's namespace, where the drill pod runs. */
  readonly vaultNamespace: string;
  /** Private addresses allowed on 443 (VPC endpoints of KMS, STS, S3). */
  readonly awsEndpointCidrs: readonly string[];
  /** The Kubernetes API server's addresses, allowed on 443 (the restored Kubernetes auth's TokenReview). */
  readonly apiServerCidrs: readonly string[];
}

const NAME_LABEL = "kubernetes.io/metadata.name";
const VAULT_PORTS = [8200, 8201];
const tcp = (port: number) => ({ protocol: "TCP", port });

/** The Namespace and NetworkPolicy objects (Kubernetes API form). */
export function restoreDrillIsolation(props: RestoreDrillIsolationProps): Record<string, unknown>[] {
  if (props.namespace === props.vaultNamespace) {
    throw new Error(`restore drill: the scratch namespace must not be Vault's own namespace (${props.vaultNamespace})`);
  }
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: props.namespace,
        labels: {
          "app.kubernetes.io/managed-by": "vault-platform",
          "app.kubernetes.io/part-of": "vault-restore-drill",
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
        },
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: ISOLATION_POLICY_NAME, namespace: props.namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          { from: [{ podSelector: {} }], ports: VAULT_PORTS.map(tcp) },
          {
            from: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: props.vaultNamespace } }, podSelector: { matchLabels: { ...DRILL_POD_LABEL } } }],
            ports: [tcp(8200)],
          },
        ],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
          {
            to: [
              { ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_CIDRS] } },
              ...[...props.awsEndpointCidrs, ...props.apiServerCidrs].map((cidr) => ({ ipBlock: { cidr } })),
            ],
            ports: [tcp(443)],
          },
          { to: [{ podSelector: {} }], ports: VAULT_PORTS.map(tcp) },
        ],
      },
    },
  ];
}
