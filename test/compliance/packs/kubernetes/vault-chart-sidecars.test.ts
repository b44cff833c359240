import { stringify } from "yaml";
import { defaultServiceAccount } from "../../../../compliance/packs/kubernetes/default-service-account";
import { noPrivilegeEscalation } from "../../../../compliance/packs/kubernetes/no-privilege-escalation";
import { readOnlyRootFilesystem } from "../../../../compliance/packs/kubernetes/read-only-root-filesystem";
import { resourceLimits } from "../../../../compliance/packs/kubernetes/resource-limits";
import { runAsNonRoot } from "../../../../compliance/packs/kubernetes/run-as-non-root";
import { check } from "./fixtures";

const RELEASE = "helm_release.vault";

/** The fixture's Vault release with the given server values. */
function withServer(server: Record<string, unknown>) {
  return (json: Record<string, any>) => {
    json.resource.helm_release.vault.values = [stringify({ server })];
  };
}

function sidecar(): Record<string, any> {
  return {
    name: "vault-reloader",
    image: "hashicorp/vault:2.0.4",
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
  };
}

const server = (container: Record<string, any>) => ({
  extraContainers: [container],
  serviceAccount: { create: true, name: "vault" },
  statefulSet: { securityContext: { pod: { runAsNonRoot: true, runAsUser: 100 } } },
});

describe("Kubernetes rules on the Vault chart's sidecars (server.extraContainers)", () => {
  it("judges the sidecars of a Vault release compliant when they meet every rule", () => {
    for (const rule of [runAsNonRoot, noPrivilegeEscalation, readOnlyRootFilesystem, resourceLimits]) {
      const outcome = check(rule, RELEASE, withServer(server(sidecar())));
      expect(outcome).toEqual({ status: "compliant", evidence: expect.stringContaining('server.extraContainers "vault-reloader"') });
    }
    expect(check(defaultServiceAccount, RELEASE, withServer(server(sidecar())))).toEqual({
      status: "compliant",
      evidence: 'values.server.service_account_name = "vault"',
    });
  });

  it("finds a sidecar with a writable root filesystem, privilege escalation or no limits", () => {
    const writable = sidecar();
    writable.securityContext.readOnlyRootFilesystem = false;
    expect(check(readOnlyRootFilesystem, RELEASE, withServer(server(writable)))).toEqual({
      status: "non-compliant",
      found: 'server.extraContainers "vault-reloader" security_context.read_only_root_filesystem = false',
    });
    const escalating = sidecar();
    delete escalating.securityContext.allowPrivilegeEscalation;
    expect(check(noPrivilegeEscalation, RELEASE, withServer(server(escalating))).status).toBe("non-compliant");
    const unlimited = sidecar();
    delete unlimited.resources.limits;
    expect(check(resourceLimits, RELEASE, withServer(server(unlimited)))).toEqual({
      status: "non-compliant",
      found: 'server.extraContainers "vault-reloader" resources without limits.cpu, limits.memory',
    });
  });

  it("finds a sidecar running as root, and a pod on the default service account", () => {
    const root = sidecar();
    root.securityContext = { ...root.securityContext, runAsNonRoot: false, runAsUser: 0 };
    expect(check(runAsNonRoot, RELEASE, withServer(server(root))).status).toBe("non-compliant");
    expect(check(defaultServiceAccount, RELEASE, withServer({ ...server(sidecar()), serviceAccount: { create: false } }))).toEqual({
      status: "non-compliant",
      found: 'values.server.service_account_name = "default"',
    });
  });

  it("does not judge a Vault release without sidecars, or another chart", () => {
    expect(check(readOnlyRootFilesystem, RELEASE, withServer({ serviceAccount: { create: true } })).status).toBe("not-applicable");
    expect(
      check(readOnlyRootFilesystem, RELEASE, (j) => {
        withServer(server(sidecar()))(j);
        j.resource.helm_release.vault.chart = "prometheus";
      }).status,
    ).toBe("not-applicable");
  });
});
