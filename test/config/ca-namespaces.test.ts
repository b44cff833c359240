import { caNamespaces } from "../../config/ca-namespaces";
import { configFor } from "../helpers";

describe.each(["dev", "prod"] as const)("caNamespaces (%s)", (env) => {
  const config = configFor(env);

  it("lists every Kubernetes-auth application's namespaces, the deploy runner's and the configured extras, sorted, once each", () => {
    const expected = new Set<string>([...config.cluster.caPublication.extraNamespaces, config.cluster.deployRunner.namespace, config.cluster.planRunner.namespace]);
    for (const app of config.applications) if (app.auth.method === "kubernetes") (app.auth.namespaces ?? []).forEach((n) => expected.add(n));
    expect(caNamespaces(config)).toEqual([...expected].sort());
    expect(new Set(caNamespaces(config)).size).toBe(caNamespaces(config).length);
  });

  it("adds the namespace of a newly onboarded Kubernetes application", () => {
    const onboarded = configFor(env, (raw) => {
      raw.cluster.allowedNamespaces.push("billing", "billing-jobs");
      raw.applications.push({
        name: "billing",
        auth: { method: "kubernetes", role: "billing-app", serviceAccounts: ["billing"], namespaces: ["billing", "billing-jobs"] },
        policies: [raw.applications[0].policies[0]],
      });
    });
    expect(caNamespaces(onboarded)).toEqual([...caNamespaces(config), "billing", "billing-jobs"].sort());
  });

  it("takes nothing from platform identities or AppRole applications, only from extraNamespaces and the deploy runner", () => {
    const noExtras = configFor(env, (raw) => (raw.cluster.caPublication.extraNamespaces = []));
    const platformOnly = new Set(config.platform.flatMap((p) => (p.auth.method === "kubernetes" ? (p.auth.namespaces ?? []) : [])));
    const appNamespaces = new Set(config.applications.flatMap((a) => (a.auth.method === "kubernetes" ? (a.auth.namespaces ?? []) : [])));
    expect(caNamespaces(noExtras)).toEqual([...new Set([...appNamespaces, config.cluster.deployRunner.namespace, config.cluster.planRunner.namespace])].sort());
    const platformOnly2 = [...platformOnly].filter((ns) => !appNamespaces.has(ns));
    expect(caNamespaces(noExtras).filter((ns) => platformOnly2.includes(ns) && ns !== config.cluster.deployRunner.namespace && ns !== config.cluster.planRunner.namespace)).toEqual([]);
    const withRunner = configFor(env, (raw) => raw.cluster.caPublication.extraNamespaces.push("github-runners"));
    expect(caNamespaces(withRunner)).toContain("github-runners");
  });

  it("publishes into the deploy runner's namespace, where the config stack's provider reads ca_cert_file", () => {
    const moved = configFor(env, (raw) => (raw.cluster.deployRunner.namespace = "ci-vault-runners"));
    expect(caNamespaces(moved)).toContain("ci-vault-runners");
    expect(caNamespaces(moved)).not.toContain(config.cluster.deployRunner.namespace);
  });

  it("fails if the CA source is not configured or an extra namespace is not a Kubernetes name", () => {
    expect(() => configFor(env, (raw) => delete raw.cluster.caPublication.source)).toThrow(/cluster.caPublication.source: is required/);
    expect(() => configFor(env, (raw) => raw.cluster.caPublication.extraNamespaces.push("Runners"))).toThrow(
      /cluster.caPublication.extraNamespaces\[\d+\]: must be a Kubernetes name/,
    );
  });
});
