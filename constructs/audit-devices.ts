import { Construct } from "constructs";
import { Audit } from "@cdktf/provider-vault/lib/audit";

/** A file device (a path on the audit volume, or `stdout` for log shipping) or a socket device. */
export type AuditDeviceProps =
  | { readonly type: "file"; readonly path: string; readonly filePath: string }
  | { readonly type: "socket"; readonly path: string; readonly address: string; readonly socketType: "tcp" | "udp" };

export interface AuditDevicesProps {
  /** At least two: Vault refuses every request when no audit device can write, so one must survive the other. */
  readonly devices: readonly AuditDeviceProps[];
}

/**
 * Audit devices. Every device HMACs token accessors and never logs raw (unhashed) secrets; option values are
 * strings because that is what the audit API takes.
 */
export class AuditDevices extends Construct {
  constructor(scope: Construct, id: string, props: AuditDevicesProps) {
    super(scope, id);
    if (props.devices.length < 2) {
      throw new Error(`AuditDevices: at least two audit devices are needed, so Vault keeps serving when one cannot write (got ${props.devices.length})`);
    }
    const common = { hmac_accessor: "true", log_raw: "false", format: "json" };
    for (const d of props.devices) {
      const options: Record<string, string> =
        d.type === "file"
          ? // 0600: only the vault user reads the log; stdout has no file mode.
            { ...common, file_path: d.filePath, ...(d.filePath === "stdout" ? {} : { mode: "0600" }) }
          : { ...common, address: d.address, socket_type: d.socketType };
      new Audit(this, d.path.replace(/\//g, "_"), {
        type: d.type,
        path: d.path,
        description: d.type === "file" ? `Audit log to ${d.filePath}` : `Audit log to ${d.socketType}://${d.address}`,
        options,
      });
    }
  }
}
