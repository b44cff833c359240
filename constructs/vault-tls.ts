import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ClusterConfig } from "../config/schema";
import { RELEASE_NAME } from "./vault-helm-values";

export interface VaultTlsProps {
  readonly namespace: string;
  /** Where the certificate comes from (cert-manager or an existing secret). */
  readonly tls: ClusterConfig["tls"];
}

/** Vault's API port (the chart's server.service.port). */
export const VAULT_API_PORT = 8200;

/**
 * The in-cluster host of the active node: the chart's `<release>-active` service selects only the pod labelled
 * `vault-active=true` (the leader), while `<release>` selects every server pod, sealed or standby ones included.
 */
export function vaultActiveHost(namespace: string): string {
  return `${RELEASE_NAME}-active.${namespace}.svc`;
}

/** The API address of the active node, which the config stack's provider and in-cluster jobs use. */
export function vaultActiveAddress(namespace: string): string {
  return `https://${vaultActiveHost(namespace)}:${VAULT_API_PORT}`;
}

/** Every name Vault is reached by inside the cluster: services, pods, and their namespace-qualified forms. */
export function vaultDnsNames(namespace: string, hostnames: readonly string[]): string[] {
  const active = `${RELEASE_NAME}-active`;
  const standby = `${RELEASE_NAME}-standby`;
  const internal = `${RELEASE_NAME}-internal`;
  const names: string[] = [];
  for (const svc of [RELEASE_NAME, active, standby, internal]) {
    names.push(svc, `${svc}.${namespace}`, `${svc}.${namespace}.svc`, `${svc}.${namespace}.svc.cluster.local`);
  }
  // Each pod by name (vault-0.vault-internal ...): api_addr, cluster_addr and retry_join use these.
  names.push(`*.${internal}`, `*.${internal}.${namespace}`, `*.${internal}.${namespace}.svc`, `*.${internal}.${namespace}.svc.cluster.local`);
  return [...new Set([...names, ...hostnames])];
}

/**
 * Vault's serving certificate: a cert-manager `Certificate` signed by the configured issuer, or an existing secret
 * managed elsewhere. Either way the secret holds tls.crt, tls.key and ca.crt, and Vault itself terminates TLS.
 */
export class VaultTls extends Construct {
  /** Name of the secret the server pods mount. */
  public readonly secretName: string;
  /** The certificate's DNS names (empty when the secret is managed outside this app). */
  public readonly dnsNames: readonly string[];
  /** The cert-manager Certificate, when this app requests one. */
  public readonly certificate?: Manifest;
  /** Name of that Certificate (cert-manager's metrics label it `name`). */
  public readonly certificateName = RELEASE_NAME;

  constructor(scope: Construct, id: string, props: VaultTlsProps) {
    super(scope, id);
    const { tls, namespace } = props;
    this.secretName = tls.secretName;
    if (tls.source === "secret") {
      this.dnsNames = [];
      return;
    }
    this.dnsNames = vaultDnsNames(namespace, tls.hostnames);
    this.certificate = new Manifest(this, "certificate", {
      manifest: {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: this.certificateName, namespace },
        spec: {
          secretName: tls.secretName,
          commonName: `${RELEASE_NAME}.${namespace}.svc`,
          dnsNames: this.dnsNames,
          // VAULT_ADDR inside the pods is https://127.0.0.1:8200.
          ipAddresses: ["127.0.0.1"],
          duration: tls.duration,
          renewBefore: tls.renewBefore,
          privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
          usages: ["server auth", "client auth", "digital signature", "key encipherment"],
          issuerRef: { group: "cert-manager.io", kind: tls.issuer.kind, name: tls.issuer.name },
        },
      },
    });
  }
}
