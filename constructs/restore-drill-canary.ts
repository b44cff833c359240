import { Construct } from "constructs";
import { KvSecretV2 } from "@cdktf/provider-vault/lib/kv-secret-v2";

export interface RestoreDrillCanaryProps {
  /** KV v2 mount of the canary (a handle, so the secret is written after the mount). */
  readonly mount: string;
  /** Path of the canary in the mount. */
  readonly path: string;
  /** Field holding the time of the first apply (a timestamp, not a secret). */
  readonly field: string;
}

/**
 * The restore drill's canary: a KV v2 secret whose one field is the time it was written. After restoring a
 * snapshot into a scratch Vault, the drill reads it through the `restore-drill` role; finding it proves the
 * restored data is usable, not just loadable.
 *
 * Written once: `cas = 0` creates it only if it does not exist, the value is never planned again
 * (`ignore_changes`), and `disable_read` keeps refreshes from reading it, so plans need no access to it.
 */
export class RestoreDrillCanary extends Construct {
  /** `<mount>/<path>`, as `vault kv get` takes it. */
  public readonly kvPath: string;

  constructor(scope: Construct, id: string, props: RestoreDrillCanaryProps) {
    super(scope, id);
    new KvSecretV2(this, "secret", {
      mount: props.mount,
      name: props.path,
      cas: 0,
      disableRead: true,
      dataJson: `\${jsonencode({ ${JSON.stringify(props.field)} = timestamp() })}`,
      lifecycle: { ignoreChanges: ["data_json"] },
    });
    this.kvPath = `${props.mount}/${props.path}`;
  }
}
