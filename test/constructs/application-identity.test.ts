import { Testing, TerraformStack } from "cdktf";
import { ApplicationIdentity } from "../../constructs/application-identity";
import type { Identity } from "../../config/schema";
import { configFor, resourcesOf, synthJson } from "../helpers";

const mounts = { kubernetes: "kubernetes", approle: "approle", jwt: "jwt" };

function build(identity: Identity, policies = identity.policies): any {
  const stack = new TerraformStack(Testing.app(), "test");
  new ApplicationIdentity(stack, identity.name, { identity, authMounts: mounts, policies, vaultNamespace: "vault-system" });
  return synthJson(stack);
}

const find = (section: "applications" | "platform", name: string) => configFor("dev")[section].find((i) => i.name === name)!;

describe("ApplicationIdentity", () => {
  it("turns a kubernetes identity into a kubernetes role and nothing else", () => {
    const json = build(find("applications", "phoenix-guardian"));
    expect(Object.keys(json.resource)).toEqual(["vault_kubernetes_auth_backend_role"]);
    expect(Object.values(resourcesOf(json, "vault_kubernetes_auth_backend_role"))[0]).toMatchObject({
      backend: "kubernetes",
      role_name: "phoenix-guardian-app",
      bound_service_account_names: ["phoenix-guardian"],
      bound_service_account_namespaces: ["phoenix-guardian"],
      token_policies: ["phoenix-guardian-app"],
    });
  });

  it("binds a platform identity that names no namespace to Vault's own, so it follows cluster.namespace", () => {
    const snapshot = find("platform", "raft-snapshot");
    expect(snapshot.auth.method === "kubernetes" && snapshot.auth.namespaces).toBeUndefined();
    const role = Object.values(resourcesOf(build(snapshot), "vault_kubernetes_auth_backend_role"))[0];
    expect(role.bound_service_account_namespaces).toEqual(["vault-system"]);
  });

  it("turns an approle identity into an approle role", () => {
    const json = build(find("applications", "checktick"));
    expect(Object.keys(json.resource)).toEqual(["vault_approle_auth_backend_role"]);
    expect(Object.values(resourcesOf(json, "vault_approle_auth_backend_role"))[0]).toMatchObject({
      backend: "approle",
      role_name: "checktick-app",
      secret_id_ttl: 90 * 86400,
      token_policies: ["checktick-app"],
    });
  });

  it("turns a jwt identity into a jwt role", () => {
    const json = build(find("platform", "terraform-ci"));
    expect(Object.keys(json.resource)).toEqual(["vault_jwt_auth_backend_role"]);
    expect(Object.values(resourcesOf(json, "vault_jwt_auth_backend_role"))[0]).toMatchObject({ backend: "jwt", role_name: "terraform-ci", token_policies: ["terraform-ci"] });
  });

  it.each([
    ["applications", "phoenix-guardian", "vault_kubernetes_auth_backend_role"],
    ["applications", "checktick", "vault_approle_auth_backend_role"],
    ["platform", "terraform-ci", "vault_jwt_auth_backend_role"],
  ] as const)("writes token_no_default_policy from %s %s's tokenNoDefaultPolicy to its %s", (section, name, type) => {
    const identity = find(section, name);
    expect(identity.tokenNoDefaultPolicy).toBe(false);
    expect(Object.values(resourcesOf(build(identity), type))[0]).toMatchObject({ token_no_default_policy: false });
    const optedOut = { ...identity, tokenNoDefaultPolicy: true };
    expect(Object.values(resourcesOf(build(optedOut), type))[0]).toMatchObject({ token_no_default_policy: true });
  });

  it("fails if the policy handles do not match the identity's policies", () => {
    expect(() => build(find("platform", "raft-snapshot"), [])).toThrow(/expected a handle for each of its 1 policies \(got 0\)/);
  });
});
