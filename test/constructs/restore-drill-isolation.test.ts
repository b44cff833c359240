/**
 * The scratch namespace's network policy, as `npm run restore-drill-manifest` prints it for both default configs,
 * evaluated as Kubernetes does (rehearsal/network-policy.ts): a restored lease's revocation cannot reach any tenant
 * database, in the cluster or in the VPC, nor the live Vault; unsealing (KMS, STS) and DNS still work.
 */
import { parseAllDocuments } from "yaml";
import { restoreDrillIsolation } from "../../constructs/restore-drill-isolation";
import { configFor } from "../helpers";
import { runScript } from "../synth-process";
import { egressAllowed, type Destination, type NetworkPolicy } from "../../rehearsal/network-policy";

const nsLabels = (name: string) => ({ "kubernetes.io/metadata.name": name });

describe.each(["dev", "prod"] as const)("restore drill isolation of %s", (env) => {
  const config = configFor(env);
  const scratch = config.cluster.restoreDrill.namespace;
  let objects: any[] = [];
  beforeAll(async () => {
    const r = await runScript("scripts/restore-drill-manifest.ts", [env]);
    if (r.status !== 0) throw new Error(`restore-drill-manifest ${env} failed: ${r.stderr}`);
    objects = parseAllDocuments(r.stdout).map((d) => d.toJS());
  });
  const policy = () => objects.find((o) => o.kind === "NetworkPolicy");
  const allowed = (dest: Destination) => egressAllowed(policy(), dest);

  it("is its own namespace, not Vault's, with a policy on every pod of it", () => {
    expect(objects.map((o) => [o.kind, o.metadata.name])).toEqual([
      ["Namespace", scratch],
      ["NetworkPolicy", "restore-drill-isolation"],
    ]);
    expect(scratch).not.toBe(config.cluster.namespace);
    expect(policy().metadata.namespace).toBe(scratch);
    expect(policy().spec).toMatchObject({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("cannot reach any tenant database: in the cluster, in the VPC, or at a public address", () => {
    const connections = config.vault.database?.connections ?? [];
    expect(connections.length).toBeGreaterThan(0);
    for (const c of connections) {
      // An in-cluster service (<name>.<namespace>.svc) is a pod of that namespace behind it.
      const podNamespace = /^[^.]+\.([^.]+)\.svc/.exec(c.host)?.[1] ?? "databases";
      const targets: Destination[] = [
        { ip: "10.0.5.20", port: c.port, pod: { namespaceLabels: nsLabels(podNamespace), labels: { app: "postgres" } } },
        { ip: "10.1.2.3", port: c.port },
        { ip: "172.20.0.9", port: c.port },
        { ip: "52.1.2.3", port: c.port },
      ];
      for (const t of targets) expect([c.host, t.ip, allowed(t)]).toEqual([c.host, t.ip, false]);
    }
  });

  it("cannot reach the live Vault (API or Raft) nor an unlisted private address on 443", () => {
    for (const port of [8200, 8201]) {
      expect(allowed({ ip: "10.0.1.10", port, pod: { namespaceLabels: nsLabels(config.cluster.namespace), labels: { "app.kubernetes.io/name": "vault" } } })).toBe(false);
    }
    expect(allowed({ ip: "10.0.9.9", port: 443 })).toBe(false);
  });

  it("can resolve names, reach AWS KMS, STS and S3 at their public addresses, and its own pods", () => {
    expect(allowed({ ip: "10.0.0.10", port: 53, protocol: "UDP", pod: { namespaceLabels: nsLabels("kube-system"), labels: { "k8s-app": "kube-dns" } } })).toBe(true);
    expect(allowed({ ip: "52.94.0.10", port: 443 })).toBe(true);
    expect(allowed({ ip: "10.0.7.7", port: 8201, pod: { namespaceLabels: nsLabels(scratch), labels: {} } })).toBe(true);
  });
});

describe("restoreDrillIsolation", () => {
  it("allows the listed VPC endpoints and API server on 443 only", () => {
    const objects = restoreDrillIsolation({ namespace: "drill", vaultNamespace: "vault", awsEndpointCidrs: ["10.0.200.0/24"], apiServerCidrs: ["10.0.250.1/32"] });
    const policy = objects[1] as unknown as NetworkPolicy;
    expect(egressAllowed(policy, { ip: "10.0.200.5", port: 443 })).toBe(true);
    expect(egressAllowed(policy, { ip: "10.0.250.1", port: 443 })).toBe(true);
    expect(egressAllowed(policy, { ip: "10.0.200.5", port: 5432 })).toBe(false);
  });

  it("fails if the scratch namespace is Vault's own", () => {
    expect(() => restoreDrillIsolation({ namespace: "vault", vaultNamespace: "vault", awsEndpointCidrs: [], apiServerCidrs: [] })).toThrow(/must not be Vault's own namespace/);
  });
});
