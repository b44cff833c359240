import { pinnedImage } from "../../../../compliance/packs/vault-server/pinned-image";
import { check } from "./fixtures";

describe("VLT-PIN-002 pinned server image", () => {
  it("is compliant with a repository and an exact tag", async () => {
    expect(await check(pinnedImage)).toEqual({ status: "compliant", evidence: "values server.image = hashicorp/vault:1.20.4" });
    expect((await check(pinnedImage, { values: (v) => (v.server.image.tag = "1.20.4-ent") })).status).toBe("compliant");
  });

  it.each(["latest", "1.20", ""])("is non-compliant with tag %j", async (tag) => {
    expect(await check(pinnedImage, { values: (v) => (v.server.image.tag = tag) })).toEqual({
      status: "non-compliant",
      found: `values server.image.tag = ${JSON.stringify(tag)} (expected an exact x.y.z version)`,
    });
  });

  it("is non-compliant without a repository or a tag", async () => {
    expect(await check(pinnedImage, { values: (v) => (v.server.image = {}) })).toEqual({
      status: "non-compliant",
      found: "values server.image.repository is not set; values server.image.tag is not set (expected an exact x.y.z version)",
    });
  });
});
