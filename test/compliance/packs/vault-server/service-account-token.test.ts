import { serviceAccountToken } from "../../../../compliance/packs/vault-server/service-account-token";
import { check } from "./fixtures";

describe("VLT-IAM-001 no long-lived service account token", () => {
  it("is compliant with createSecret false or unset", async () => {
    expect(await check(serviceAccountToken)).toEqual({ status: "compliant", evidence: "values server.serviceAccount.createSecret = false" });
    expect(await check(serviceAccountToken, { values: (v) => delete v.server.serviceAccount })).toEqual({
      status: "compliant",
      evidence: "values server.serviceAccount.createSecret is not set (chart default false)",
    });
  });

  it("is non-compliant with createSecret true, also through a set entry", async () => {
    expect(await check(serviceAccountToken, { values: (v) => (v.server.serviceAccount.createSecret = true) })).toEqual({
      status: "non-compliant",
      found: "values server.serviceAccount.createSecret = true",
    });
    expect((await check(serviceAccountToken, { release: { set: [{ name: "server.serviceAccount.createSecret", value: "true" }] } })).status).toBe(
      "non-compliant",
    );
  });
});
