import { Testing, TerraformStack } from "cdktf";
import { TransitEngine } from "../../constructs/transit-engine";
import { configFor, onlyResource, resourcesOf, synthJson } from "../helpers";

function build(keys = configFor("dev").vault.transit!.keys): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new TransitEngine(stack, "transit", { ...configFor("dev").vault.transit!, keys });
  return synthJson(stack);
}

describe("TransitEngine", () => {
  it("mounts transit with lease TTLs", () => {
    expect(onlyResource(build(), "vault_mount")).toMatchObject({ path: "transit", type: "transit", default_lease_ttl_seconds: 3600, max_lease_ttl_seconds: 86400 });
  });

  it("creates patient-data as aes256-gcm96, not deletable, not exportable, no plaintext backup, rotated every 30 days", () => {
    const keys = Object.values(resourcesOf(build(), "vault_transit_secret_backend_key"));
    const patient = keys.find((k: any) => k.name === "patient-data");
    expect(patient).toMatchObject({
      type: "aes256-gcm96",
      deletion_allowed: false,
      exportable: false,
      allow_plaintext_backup: false,
      auto_rotate_period: 30 * 86400,
      backend: expect.stringMatching(/^\$\{vault_mount\..*\.path\}$/),
    });
    expect(keys.map((k: any) => k.name).sort()).toEqual(configFor("dev").vault.transit!.keys.map((k) => k.name).sort());
    for (const k of keys) expect(k).toMatchObject({ deletion_allowed: false, exportable: false, allow_plaintext_backup: false });
  });

  it("fails if a key rotates more often than Vault allows", () => {
    expect(() => build([{ name: "k", type: "aes256-gcm96", autoRotatePeriod: "30m" }])).toThrow(/autoRotatePeriod must be at least 1h/);
  });
});
