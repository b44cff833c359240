/** Tenant access (access/tenants.ts) and its small drawing (access/tenant-drawing.ts): identities → a tenant's owned paths. */
import { EVERY_PATH, tenantDrawingSvg } from "../../access/tenant-drawing";
import { tenantAccess } from "../../access/tenants";
import { compilePolicy } from "../../access/acl/policy";
import type { AccessModel, AuthRole } from "../../access/model";

function role(key: string, policies: string[]): AuthRole {
  const [mount, name] = key.split("/");
  return { key, method: "kubernetes", mount, name, stack: "s", address: `r.${name}`, bindings: {}, ttls: {}, policies, defaultPolicy: true };
}

function policy(name: string, rules: Record<string, string[]>) {
  const compiled = compilePolicy({ name, file: `${name}.hcl`, rules: Object.entries(rules).map(([path, capabilities]) => ({ path, rule: { capabilities } })) });
  return [name, { name, address: `vault_policy.${name}`, builtin: false, paths: Object.keys(rules), compiled }] as const;
}

const MODEL: AccessModel = {
  environment: "dev",
  roles: [role("kubernetes/app", ["app"]), role("jwt/admin", ["admin", "missing"]), role("kubernetes/other", ["unused"])],
  policies: new Map([
    policy("app", { "secret/data/app/*": ["read"], "sys/*": ["deny"] }),
    policy("admin", { "sys/*": ["create", "update", "sudo"], "secret/data/*": ["create", "update"] }),
    policy("unused", { "other/*": ["read"] }),
  ]),
};

const textsOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

const TENANT = { name: "app", method: "kubernetes", role: "app", ownedPaths: ["secret/data/app/", "secret/metadata/app/"] };

describe("tenant access", () => {
  const [access] = tenantAccess(MODEL, [TENANT]);

  it("finds the tenant's login and every role with a grant under its owned paths, the tenant's own first", () => {
    expect(access.role?.key).toBe("kubernetes/app");
    expect(access.direct.map((g) => [g.role.key, g.reads, g.writes, g.policies, g.own])).toEqual([
      ["kubernetes/app", ["secret/data/app/"], [], ["app"], true],
      // secret/data/* reaches a new name under the owned prefix: a glob grant counts.
      ["jwt/admin", [], ["secret/data/app/"], ["admin"], false],
    ]);
  });

  it("lists the roles that can change policies as reaching it by escalation", () => {
    expect(access.escalation.map((e) => e.role.key)).toEqual(["jwt/admin"]);
  });
});

describe("tenant drawing", () => {
  const svg = tenantDrawingSvg(tenantAccess(MODEL, [TENANT])[0]);

  it("is one inline SVG scaled to its container, named for assistive technology and by tenant", () => {
    expect(svg).toMatch(/^<svg data-tenant="app" class="tenant-access" data-environment="dev" role="img" aria-label="Access to app in dev: 2 identities, 2 owned paths" viewBox="0 0 \d+ \d+"/);
  });

  it("draws the identities that reach the tenant, its owned paths and every path by escalation, and nobody else", () => {
    const texts = textsOf(svg);
    expect(texts).toEqual(expect.arrayContaining(["kubernetes/app", "jwt/admin", "secret/data/app/", "secret/metadata/app/", EVERY_PATH]));
    expect(texts).not.toContain("kubernetes/other");
  });

  it("colours each line by the strongest access, the granting policies as its tooltip; escalation dashed", () => {
    expect(svg).toMatch(/<path [^>]*stroke="#0969da"[^>]*><title>kubernetes\/app reads secret\/data\/app\/ \(app\)<\/title>/);
    expect(svg).toMatch(/<path [^>]*stroke="#bc4c00"[^>]*><title>jwt\/admin writes secret\/data\/app\/ \(admin\)<\/title>/);
    expect(svg).toMatch(/<path [^>]*stroke="#8250df"[^>]*stroke-dasharray="5 3"[^>]*><title>jwt\/admin can change [^<]*ACL policies/);
  });

  it("lays identities left of paths, boxes not overlapping", () => {
    const boxes = [...svg.matchAll(/<g><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*\/><text[^>]*>([^<]*)</g)].map((m) => ({
      x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]), label: m[5],
    }));
    const at = (label: string) => boxes.find((b) => b.label === label)!;
    expect(at("kubernetes/app").x + at("kubernetes/app").w).toBeLessThan(at("secret/data/app/").x);
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap ? `${a.label} overlaps ${b.label}` : "").toBe("");
      }
    }
  });
});
