import { kubernetesAuthRoles } from "../../../../compliance/packs/vault-config/kubernetes-auth-roles";
import { blockOf, configStack } from "./fixtures";

const role = "vault_kubernetes_auth_backend_role.app";

describe("VCF-AUTH-001 kubernetesAuthRoles", () => {
  it("is compliant with named service accounts and namespaces and an audience", () => {
    const view = configStack();
    expect(kubernetesAuthRoles.check(blockOf(view, role), view)).toEqual({
      status: "compliant",
      evidence: `${role} bound_service_account_names = ["app"], bound_service_account_namespaces = ["app"], audience = vault`,
    });
  });

  it("is non-compliant with wildcards and no audience", () => {
    const view = configStack((j) => {
      const r = j.resource.vault_kubernetes_auth_backend_role.app;
      r.bound_service_account_names = ["*"];
      r.bound_service_account_namespaces = ["app-*"];
      delete r.audience;
    });
    expect(kubernetesAuthRoles.check(blockOf(view, role), view)).toEqual({
      status: "non-compliant",
      found: `${role} bound_service_account_names = ["*"], bound_service_account_namespaces = ["app-*"], audience = (unset)`,
    });
  });
});
