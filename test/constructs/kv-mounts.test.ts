import { Testing, TerraformStack } from "cdktf";
import { KvMounts } from "../../constructs/kv-mounts";
import { configFor, resourcesOf, synthJson } from "../helpers";

function synth(mounts: ConstructorParameters<typeof KvMounts>[2]["mounts"]): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new KvMounts(stack, "kv", { mounts });
  return synthJson(stack);
}

describe("KvMounts", () => {
  it("mounts each configured path as KV version 2 with lease TTLs", () => {
    const kv = configFor("dev").vault.kv;
    const json = synth(kv);
    const mounts = Object.values(resourcesOf(json, "vault_mount"));
    expect(mounts.map((m: any) => m.path).sort()).toEqual(kv.map((m) => m.path).sort());
    for (const m of mounts) {
      expect(m).toMatchObject({ type: "kv", options: { version: "2" }, default_lease_ttl_seconds: 3600, max_lease_ttl_seconds: 86400 });
    }
  });

  it("configures versions, check-and-set and version expiry on the mount it created", () => {
    const json = synth([
      { path: "team/app", maxVersions: 3, casRequired: true, deleteVersionAfter: "720h", ttls: { defaultLeaseTtl: "30m", maxLeaseTtl: "2h" } },
    ]);
    const [mountName, mount] = Object.entries(resourcesOf(json, "vault_mount"))[0] as [string, any];
    expect(mount).toMatchObject({ path: "team/app", default_lease_ttl_seconds: 1800, max_lease_ttl_seconds: 7200 });
    const cfg = Object.values(resourcesOf(json, "vault_kv_secret_backend_v2"))[0] as any;
    expect(cfg).toEqual(
      expect.objectContaining({ mount: `\${vault_mount.${mountName}.path}`, max_versions: 3, cas_required: true, delete_version_after: 2592000 }),
    );
  });

  it("leaves version expiry unset when not configured", () => {
    const json = synth(configFor("dev").vault.kv);
    for (const cfg of Object.values(resourcesOf(json, "vault_kv_secret_backend_v2"))) expect(cfg.delete_version_after).toBeUndefined();
  });

  it("sets check-and-set per mount as configured", () => {
    const json = synth([
      { path: "strict", maxVersions: 3, casRequired: true, ttls: { defaultLeaseTtl: "1h", maxLeaseTtl: "24h" } },
      { path: "lenient", maxVersions: 3, casRequired: false, ttls: { defaultLeaseTtl: "1h", maxLeaseTtl: "24h" } },
    ]);
    const mounts = resourcesOf(json, "vault_mount");
    const cas = Object.values(resourcesOf(json, "vault_kv_secret_backend_v2")).map((c: any) => [mounts[/vault_mount\.(.+)\.path/.exec(c.mount)![1]].path, c.cas_required]);
    expect(Object.fromEntries(cas)).toEqual({ strict: true, lenient: false });
  });
});
