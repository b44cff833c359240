import { Construct } from "constructs";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { TransitSecretBackendKey } from "@cdktf/provider-vault/lib/transit-secret-backend-key";
import { durationSeconds } from "../config/format-rules";
import { pinAddress } from "./stable-address";

/** One named encryption key. */
export interface TransitKeyProps {
  /**
   * Stable id: the key's Terraform address is built from it, so it never changes (docs/data-safety.md).
   * @default - the name
   */
  readonly id?: string;
  readonly name: string;
  /** Vault key type, e.g. `aes256-gcm96`. */
  readonly type: string;
  /** How often Vault rotates the key (Vault duration, at least 1h). Old versions still decrypt. */
  readonly autoRotatePeriod: string;
}

export interface TransitEngineProps {
  /** Mount path of the engine. */
  readonly path: string;
  readonly keys: readonly TransitKeyProps[];
  /** Default and maximum lease TTL of the mount (Vault durations). */
  readonly ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string };
}

/**
 * The transit engine: encryption as a service. Keys never leave Vault: not exportable, no plaintext backup,
 * and not deletable (deleting a key makes everything encrypted with it unreadable).
 */
export class TransitEngine extends Construct {
  /** The mount's path attribute. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: TransitEngineProps) {
    super(scope, id);
    const mount = new Mount(this, "mount", {
      path: props.path,
      type: "transit",
      description: "Encryption as a service; keys never leave Vault",
      defaultLeaseTtlSeconds: durationSeconds(props.ttls.defaultLeaseTtl),
      maxLeaseTtlSeconds: durationSeconds(props.ttls.maxLeaseTtl),
    });
    pinAddress(mount, id);
    this.path = mount.path;
    for (const k of props.keys) {
      const period = durationSeconds(k.autoRotatePeriod);
      if (period < 3600) throw new Error(`TransitEngine: key ${k.name}: autoRotatePeriod must be at least 1h (got ${k.autoRotatePeriod})`);
      const stable = k.id ?? k.name;
      const key = new TransitSecretBackendKey(this, `key-${stable}`, {
        backend: mount.path,
        name: k.name,
        type: k.type,
        deletionAllowed: false,
        exportable: false,
        allowPlaintextBackup: false,
        autoRotatePeriod: period,
      });
      pinAddress(key, id, stable);
    }
  }
}
