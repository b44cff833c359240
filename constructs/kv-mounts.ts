import { Construct } from "constructs";
import { terraformLiteral } from "../config/terraform-literal";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { KvSecretBackendV2 } from "@cdktf/provider-vault/lib/kv-secret-backend-v2";
import { durationSeconds } from "../config/format-rules";
import { pinAddress } from "./stable-address";

/** One KV version 2 mount. */
export interface KvMountProps {
  /**
   * Stable id: the mount's Terraform address is built from it, so renaming `path` while keeping the id is an
   * in-place remount (the provider calls sys/remount) instead of a destroy (docs/data-safety.md).
   * @default - the path
   */
  readonly id?: string;
  /** Mount path, without slashes at either end (`secret`, `phoenix-guardian`). */
  readonly path: string;
  /**
   * Shown in `vault secrets list`.
   * @default - "KV v2 secrets at <path>/"
   */
  readonly description?: string;
  /** Versions kept per secret; older ones are deleted. */
  readonly maxVersions: number;
  /** Require check-and-set on every write, so a stale writer cannot overwrite a newer version. */
  readonly casRequired: boolean;
  /**
   * Versions older than this are soft-deleted (Vault duration).
   * @default - versions are kept until maxVersions pushes them out
   */
  readonly deleteVersionAfter?: string;
  /** Default and maximum lease TTL of the mount (Vault durations). */
  readonly ttls: { readonly defaultLeaseTtl: string; readonly maxLeaseTtl: string };
}

export interface KvMountsProps {
  readonly mounts: readonly KvMountProps[];
}

/** KV v2 mounts with their engine configuration (versions kept, check-and-set, version expiry). */
export class KvMounts extends Construct {
  /** Mount path (as given in config) to the mount's path attribute, for references that order resources. */
  public readonly paths: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: KvMountsProps) {
    super(scope, id);
    const paths = new Map<string, string>();
    for (const m of props.mounts) {
      const key = (m.id ?? m.path).replace(/\//g, "_");
      const mount = new Mount(this, key, {
        path: m.path,
        type: "kv",
        options: { version: "2" },
        description: terraformLiteral(m.description ?? `KV v2 secrets at ${m.path}/`),
        defaultLeaseTtlSeconds: durationSeconds(m.ttls.defaultLeaseTtl),
        maxLeaseTtlSeconds: durationSeconds(m.ttls.maxLeaseTtl),
      });
      pinAddress(mount, id, key);
      new KvSecretBackendV2(this, `${key}-config`, {
        mount: mount.path,
        maxVersions: m.maxVersions,
        casRequired: m.casRequired,
        deleteVersionAfter: m.deleteVersionAfter === undefined ? undefined : durationSeconds(m.deleteVersionAfter),
      });
      paths.set(m.path, mount.path);
    }
    this.paths = paths;
  }
}
