import { Testing, TerraformStack } from "cdktf";
import { KubernetesAuth, KubernetesAuthRole, type KubernetesAuthRoleProps } from "../../constructs/kubernetes-auth";
import { configFor, onlyResource, synthJson } from "../helpers";

function build(issuer?: string, role?: Partial<KubernetesAuthRoleProps>): any {
  const stack = new TerraformStack(Testing.app(), "test");
  const auth = new KubernetesAuth(stack, "k8s", { ...configFor("dev").vault.auth.kubernetes, issuer });
  if (role) {
    new KubernetesAuthRole(stack, "role", {
      backend: auth.path,
      roleName: "app",
      serviceAccounts: ["app"],
      namespaces: ["apps"],
      audience: "vault",
      tokenTtl: "15m",
      tokenMaxTtl: "1h",
      policies: ["app"],
      ...role,
    });
  }
  return synthJson(stack);
}

describe("KubernetesAuth", () => {
  it("mounts the method tuned: lease TTLs and hidden from the login page", () => {
    expect(onlyResource(build(), "vault_auth_backend")).toMatchObject({
      type: "kubernetes",
      path: "kubernetes",
      tune: [expect.objectContaining({ default_lease_ttl: "3600s", max_lease_ttl: "86400s", listing_visibility: "hidden" })],
    });
  });

  it("points at the API server and leaves the CA and reviewer JWT to Vault's own pod", () => {
    const cfg = onlyResource(build(), "vault_kubernetes_auth_backend_config");
    expect(cfg).toMatchObject({ kubernetes_host: "https://kubernetes.default.svc", disable_iss_validation: true });
    expect(cfg.kubernetes_ca_cert).toBeUndefined();
    expect(cfg.token_reviewer_jwt).toBeUndefined();
    expect(cfg.issuer).toBeUndefined();
  });

  it("validates the issuer when one is configured", () => {
    expect(onlyResource(build("https://oidc.eks.eu-west-2.amazonaws.com/id/X"), "vault_kubernetes_auth_backend_config")).toMatchObject({
      issuer: "https://oidc.eks.eu-west-2.amazonaws.com/id/X",
      disable_iss_validation: false,
    });
  });

  it("binds a role to named service accounts and namespaces, with audience, TTLs and policies", () => {
    expect(onlyResource(build(undefined, {}), "vault_kubernetes_auth_backend_role")).toMatchObject({
      backend: expect.stringMatching(/^\$\{vault_auth_backend\..*\.path\}$/),
      role_name: "app",
      bound_service_account_names: ["app"],
      bound_service_account_namespaces: ["apps"],
      audience: "vault",
      token_ttl: 900,
      token_max_ttl: 3600,
      token_policies: ["app"],
    });
  });

  it("fails if a role binds a wildcard service account or namespace", () => {
    expect(() => build(undefined, { serviceAccounts: ["*"] })).toThrow(/must be explicit names, not wildcards \(got \*\)/);
    expect(() => build(undefined, { namespaces: ["team-*"] })).toThrow(/not wildcards \(got team-\*\)/);
  });

  it("fails if a role binds no service account", () => {
    expect(() => build(undefined, { serviceAccounts: [] })).toThrow(/must bind at least one service account and one namespace/);
  });
});
