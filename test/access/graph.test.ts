/** The access graph: auth roles → policies → paths by mount, laid out by dagre, as inline SVG. */
import { accessGraphSvg, mountGraphsSvg, mountOf } from "../../access/graph";
import { defaultPolicy } from "../../access/default-policy";
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
  roles: [role("kubernetes/app", ["app"]), role("jwt/admin", ["admin", "missing"])],
  policies: new Map([
    policy("app", { "secret/data/app/*": ["read"], "sys/*": ["deny"] }),
    policy("admin", { "sys/*": ["create", "update", "sudo"], "secret/data/*": ["create", "update"] }),
    policy("unused", { "other/*": ["read"] }),
  ]),
};

const textsOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe("access graph overview", () => {
  const svg = accessGraphSvg(MODEL);
  const texts = textsOf(svg);

  it("is one inline SVG scaled to its container, named for assistive technology", () => {
    expect(svg).toMatch(/^<svg class="access-graph" data-environment="dev" role="img" aria-label="Access graph of dev: 2 auth roles, 2 policies, 2 mounts" viewBox="0 0 \d+ \d+"/);
    expect(svg).not.toMatch(/<script|href=|https?:\/\//);
    expect(svg).not.toMatch(/ id="/); // two environments' graphs in one page must not clash
  });

  it("draws every role and every policy a role carries, not policies no role carries", () => {
    expect(texts).toEqual(expect.arrayContaining(["kubernetes/app", "jwt/admin", "app", "admin"]));
    expect(texts).not.toContain("unused");
    expect(texts).not.toContain("missing");
  });

  it("joins each policy to the mounts it reaches, in the colour of its strongest rule there", () => {
    expect(texts).toEqual(expect.arrayContaining(["secret/", "sys/"]));
    expect(svg).toMatch(/<path [^>]*stroke="#cf222e"[^>]*><title>app on sys\/\*: deny<\/title>/);
    expect(svg).toMatch(/<path [^>]*stroke="#8250df"[^>]*><title>admin on sys\/\*: create, update, sudo<\/title>/);
    expect(svg).toContain("<title>jwt/admin carries admin</title>");
  });
});

describe("access graph per mount", () => {
  const graphs = mountGraphsSvg(MODEL);
  const of = (mount: string) => graphs.find((g) => g.mount === mount)!.svg;

  it("draws one graph per mount the carried policies reach, each with every path named there once", () => {
    expect(graphs.map((g) => g.mount)).toEqual(["secret/", "sys/"]);
    expect(textsOf(of("secret/"))).toEqual(expect.arrayContaining(["kubernetes/app", "jwt/admin", "app", "admin", "data/app/*", "data/*"]));
    expect(textsOf(of("sys/")).filter((t) => t === "*")).toHaveLength(1);
    expect(of("sys/")).toMatch(/^<svg class="access-graph-mount" data-environment="dev" role="img" aria-label="Paths under sys\/ in dev: 1 paths named by 2 policies"/);
  });

  it("colours each policy-to-path line by what its rule grants, with the capabilities as its tooltip", () => {
    expect(of("sys/")).toMatch(/<path [^>]*stroke="#cf222e"[^>]*stroke-dasharray="5 3"[^>]*><title>app on sys\/\*: deny<\/title>/);
    expect(of("secret/")).toMatch(/<path [^>]*stroke="#bc4c00"[^>]*><title>admin on secret\/data\/\*: create, update<\/title>/);
    expect(of("secret/")).toMatch(/<path [^>]*stroke="#0969da"[^>]*><title>app on secret\/data\/app\/\*: read<\/title>/);
  });

  it("lays roles left of policies and policies left of paths, boxes not overlapping", () => {
    const svg = of("secret/");
    const boxes = [...svg.matchAll(/<g><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*\/><text[^>]*>([^<]*)</g)].map((m) => ({
      x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]), label: m[5],
    }));
    const at = (label: string) => boxes.find((b) => b.label === label)!;
    expect(at("kubernetes/app").x + at("kubernetes/app").w).toBeLessThan(at("app").x);
    expect(at("app").x + at("app").w).toBeLessThan(at("data/app/*").x);
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap ? `${a.label} overlaps ${b.label}` : "").toBe("");
      }
    }
  });

  it("names auth methods' mounts by method", () => {
    expect(mountOf("auth/kubernetes/role/x")).toBe("auth/kubernetes/");
    expect(mountOf("auth/*")).toBe("auth/");
    expect(mountOf("secret/data/x")).toBe("secret/");
  });

  it("draws Vault's default policy for the roles whose tokens carry it", () => {
    const withDefault: AccessModel = {
      ...MODEL,
      roles: [role("kubernetes/app", ["app"]), { ...role("jwt/admin", ["admin"]), defaultPolicy: false }],
      policies: new Map([...MODEL.policies, ["default", { name: "default", address: "built-in (Vault 2.0.4)", builtin: true, paths: defaultPolicy().paths, compiled: defaultPolicy().compiled }]]),
    };
    const drawn = accessGraphSvg(withDefault);
    expect(drawn).toContain("<title>kubernetes/app carries default</title>");
    expect(drawn).not.toContain("<title>jwt/admin carries default</title>");
  });
});
