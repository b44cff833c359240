import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";

export interface VaultCaBundleProps {
  /** Bundle name; trust-manager names the ConfigMap it writes into each namespace after it. */
  readonly name: string;
  /** Secret in trust-manager's trust namespace holding the CA that signs Vault's certificate. */
  readonly sourceSecret: string;
  /**
   * Key of the CA in that secret.
   * @default "ca.crt"
   */
  readonly sourceKey?: string;
  /** Namespaces that receive the ConfigMap (at least one; see `config/ca-namespaces.ts`). */
  readonly namespaces: readonly string[];
}

/** The key of the CA in the published ConfigMap: what clients point VAULT_CACERT at. */
export const CA_CONFIG_MAP_KEY = "ca.crt";

/**
 * Vault's CA in every tenant namespace, as a trust-manager `Bundle` (trust.cert-manager.io/v1alpha1, cluster
 * scoped). trust-manager copies the source into a ConfigMap `<name>` with key `ca.crt` in each selected namespace
 * and keeps it in sync, so a CA rotation reaches clients without an apply. Chosen over a ConfigMap filled from a
 * `kubernetes_secret_v1` data source, which would store the whole TLS secret (Vault's private key included) in
 * Terraform state, read it silently as empty before cert-manager has issued it, and copy the CA only on apply.
 */
export class VaultCaBundle extends Construct {
  public readonly configMapName: string;
  public readonly configMapKey = CA_CONFIG_MAP_KEY;
  public readonly namespaces: readonly string[];
  public readonly bundle: Manifest;

  constructor(scope: Construct, id: string, props: VaultCaBundleProps) {
    super(scope, id);
    if (props.namespaces.length === 0) {
      throw new Error(`VaultCaBundle ${props.name}: needs at least one target namespace (an empty In selector is invalid)`);
    }
    this.configMapName = props.name;
    this.namespaces = [...props.namespaces];
    this.bundle = new Manifest(this, "bundle", {
      manifest: {
        apiVersion: "trust.cert-manager.io/v1alpha1",
        kind: "Bundle",
        metadata: { name: props.name },
        spec: {
          sources: [{ secret: { name: props.sourceSecret, key: props.sourceKey ?? "ca.crt" } }],
          target: {
            configMap: { key: CA_CONFIG_MAP_KEY },
            // Exactly the listed namespaces, by the name label the API server sets on every namespace.
            namespaceSelector: {
              matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: this.namespaces }],
            },
          },
        },
      },
    });
  }
}
