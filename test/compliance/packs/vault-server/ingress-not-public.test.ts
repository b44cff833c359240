import { ingressNotPublic } from "../../../../compliance/packs/vault-server/ingress-not-public";
import { check } from "./fixtures";

describe("VLT-NET-003 API not exposed publicly", () => {
  it("is compliant with the ingress off", async () => {
    expect(await check(ingressNotPublic)).toEqual({ status: "compliant", evidence: "values server.ingress.enabled = false" });
  });

  it("is compliant with an internal ingress class or an internal ALB scheme", async () => {
    expect(await check(ingressNotPublic, { values: (v) => (v.server.ingress = { enabled: true, ingressClassName: "nginx-internal" }) })).toEqual({
      status: "compliant",
      evidence: 'values server.ingress.enabled = true, internal: server.ingress.ingressClassName = "nginx-internal"',
    });
    const alb = await check(ingressNotPublic, {
      values: (v) => (v.server.ingress = { enabled: true, ingressClassName: "alb", annotations: "alb.ingress.kubernetes.io/scheme: internal\n" }),
    });
    expect(alb).toMatchObject({ status: "compliant", evidence: expect.stringContaining('alb.ingress.kubernetes.io/scheme = "internal"') });
  });

  it("is non-compliant with an ingress that does not say it is internal", async () => {
    expect(await check(ingressNotPublic, { values: (v) => (v.server.ingress = { enabled: true, ingressClassName: "nginx" }) })).toEqual({
      status: "non-compliant",
      found: "values server.ingress.enabled = true with no internal ingress class or internal scheme",
    });
  });

  it("is non-compliant with an internet-facing ALB, whatever the class", async () => {
    const outcome = await check(ingressNotPublic, {
      values: (v) =>
        (v.server.ingress = { enabled: true, ingressClassName: "internal-alb", annotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" } }),
    });
    expect(outcome).toMatchObject({ status: "non-compliant", found: expect.stringContaining("internet-facing") });
  });

  it("is non-compliant with a LoadBalancer server service", async () => {
    expect(await check(ingressNotPublic, { values: (v) => (v.server.service = { type: "LoadBalancer" }) })).toEqual({
      status: "non-compliant",
      found: 'values server.service.type = "LoadBalancer"',
    });
  });
});
