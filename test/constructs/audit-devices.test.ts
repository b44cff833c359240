import { Testing, TerraformStack } from "cdktf";
import { AuditDevices, type AuditDeviceProps } from "../../constructs/audit-devices";
import { configFor, resourcesOf, synthJson } from "../helpers";

function build(devices: readonly AuditDeviceProps[]): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new AuditDevices(stack, "audit", { devices });
  return synthJson(stack);
}

describe("AuditDevices", () => {
  it("writes to the chart's audit volume and to stdout, both hashing accessors and never logging raw", () => {
    const audits = Object.values(resourcesOf(build(configFor("dev").vault.audit), "vault_audit"));
    expect(audits).toHaveLength(2);
    const byPath = Object.fromEntries(audits.map((a: any) => [a.path, a]));
    expect(byPath.file).toMatchObject({ type: "file", options: { file_path: "/vault/audit/audit.log", mode: "0600", hmac_accessor: "true", log_raw: "false" } });
    expect(byPath.stdout).toMatchObject({ type: "file", options: { file_path: "stdout", hmac_accessor: "true", log_raw: "false" } });
    expect(byPath.stdout.options.mode).toBeUndefined();
  });

  it("configures a socket device with its address and socket type", () => {
    const audits = resourcesOf(
      build([
        { type: "file", path: "file", filePath: "/vault/audit/audit.log" },
        { type: "socket", path: "siem", address: "fluent-bit.logging.svc:5170", socketType: "tcp" },
      ]),
      "vault_audit",
    );
    const socket = Object.values(audits).find((a: any) => a.type === "socket");
    expect(socket).toMatchObject({
      path: "siem",
      options: { address: "fluent-bit.logging.svc:5170", socket_type: "tcp", hmac_accessor: "true", log_raw: "false" },
    });
  });

  it("fails if fewer than two devices are given", () => {
    expect(() => build([{ type: "file", path: "file", filePath: "/vault/audit/audit.log" }])).toThrow(/at least two audit devices/);
  });
});
