import { Construct } from "constructs";
import { pinAddress } from "./stable-address";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";

export interface VaultNamespaceProps {
  readonly name: string;
  /**
   * Pod Security Standards level enforced, audited and warned about.
   * @default "restricted"
   */
  readonly podSecurityLevel?: "baseline" | "restricted";
}

/** A namespace this project owns (Vault's, the plan runner's), with Pod Security admission labels so nothing privileged runs there. */
export class VaultNamespace extends Construct {
  /** The namespace name, as a reference (so dependants wait for the namespace). */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: VaultNamespaceProps) {
    super(scope, id);
    const level = props.podSecurityLevel ?? "restricted";
    const ns = new NamespaceV1(this, "namespace", {
      metadata: {
        name: props.name,
        labels: {
          "app.kubernetes.io/managed-by": "vault-platform",
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/audit": level,
          "pod-security.kubernetes.io/warn": level,
        },
      },
    });
    pinAddress(ns, id);
    this.name = ns.metadata.name;
  }
}
