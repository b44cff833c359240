import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { KvMounts } from "../../constructs/kv-mounts";
import { pinAddress } from "../../constructs/stable-address";
import { synthJson } from "../helpers";

const mounts = [{ id: "secret", path: "secret", maxVersions: 10, casRequired: true, ttls: { defaultLeaseTtl: "1h", maxLeaseTtl: "24h" } }];

describe("pinned addresses", () => {
  it("do not depend on where the construct sits in the tree (a refactor moves nothing)", () => {
    const flat = new TerraformStack(Testing.app(), "flat");
    new KvMounts(flat, "kv", { mounts });
    const nested = new TerraformStack(Testing.app(), "nested");
    new KvMounts(new Construct(new Construct(nested, "engines"), "vault"), "kv", { mounts });
    expect(Object.keys(synthJson(flat).resource.vault_mount)).toEqual(["kv_secret"]);
    expect(Object.keys(synthJson(nested).resource.vault_mount)).toEqual(["kv_secret"]);
  });

  it("do not depend on a renameable value: a KV mount keeps its address when its path changes and its id stays", () => {
    const stack = new TerraformStack(Testing.app(), "renamed");
    new KvMounts(stack, "kv", { mounts: [{ ...mounts[0]!, path: "kv" }] });
    expect(synthJson(stack).resource.vault_mount).toEqual({ kv_secret: expect.objectContaining({ path: "kv", type: "kv" }) });
  });

  it("fails if the name is not a Terraform name", () => {
    const stack = new TerraformStack(Testing.app(), "bad");
    const kv = new KvMounts(stack, "kv", { mounts });
    const mount = kv.node.findAll().find((c) => (c as { terraformResourceType?: string }).terraformResourceType === "vault_mount") as never;
    expect(() => pinAddress(mount, "kv", "has space")).toThrow(/cannot pin the address vault_mount\.kv_has space: not a Terraform name/);
  });
});
