import { pinnedChart } from "../../../../compliance/packs/vault-server/pinned-chart";
import { check } from "./fixtures";

describe("VLT-PIN-001 pinned chart version", () => {
  it("is compliant with an exact version", async () => {
    expect(await check(pinnedChart)).toEqual({ status: "compliant", evidence: 'helm_release version = "0.34.1"' });
  });

  it.each(["~0.34", "0.34", ">=0.30.0", "latest"])("is non-compliant with version %s", async (version) => {
    expect(await check(pinnedChart, { release: { version } })).toEqual({
      status: "non-compliant",
      found: `helm_release version = ${JSON.stringify(version)} (not an exact x.y.z)`,
    });
  });

  it("is non-compliant without a version", async () => {
    expect(await check(pinnedChart, { release: { version: undefined } })).toEqual({
      status: "non-compliant",
      found: "helm_release version is not set (latest chart)",
    });
  });

  it("recognises the chart by a repository-qualified name", async () => {
    expect((await check(pinnedChart, { release: { chart: "hashicorp/vault", version: "0.34" } })).status).toBe("non-compliant");
  });
});
