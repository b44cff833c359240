import { Testing, TerraformStack } from "cdktf";
import { PkiEngine, type PkiEngineProps } from "../../constructs/pki-engine";
import { configFor, onlyResource, resourcesOf, synthJson } from "../helpers";

function build(edit?: (p: PkiEngineProps & Record<string, any>) => void): any {
  const stack = new TerraformStack(Testing.app(), "test");
  const props: any = { ...configFor("dev").vault.pki!, vaultAddress: "https://vault.example.com:8200/" };
  edit?.(props);
  new PkiEngine(stack, "pki", props);
  return synthJson(stack);
}

const mountByPath = (json: any, path: string) =>
  Object.entries(resourcesOf(json, "vault_mount")).find(([, m]: any) => m.path === path) as [string, any];

describe("PkiEngine", () => {
  const json = build();

  it("generates the root key inside Vault (type internal) and never exports it", () => {
    const root = onlyResource(json, "vault_pki_secret_backend_root_cert");
    expect(root).toMatchObject({ type: "internal", common_name: "Vault Platform Dev Root CA", ttl: String(87600 * 3600), key_type: "ec", key_bits: 384 });
    const csr = onlyResource(json, "vault_pki_secret_backend_intermediate_cert_request");
    expect(csr.type).toBe("internal");
    expect(JSON.stringify(json)).not.toMatch(/"exported"|private_key"|BEGIN [A-Z ]*PRIVATE KEY/);
  });

  it("signs the intermediate with the root and sets the signed certificate on the intermediate mount", () => {
    const [rootName] = mountByPath(json, "pki");
    const [intName] = mountByPath(json, "pki_int");
    const signed = onlyResource(json, "vault_pki_secret_backend_root_sign_intermediate");
    expect(signed).toMatchObject({
      backend: `\${vault_mount.${rootName}.path}`,
      csr: expect.stringMatching(/^\$\{vault_pki_secret_backend_intermediate_cert_request\..*\.csr\}$/),
      ttl: String(43800 * 3600),
      max_path_length: 0,
    });
    const setSigned = onlyResource(json, "vault_pki_secret_backend_intermediate_set_signed");
    expect(setSigned).toMatchObject({
      backend: `\${vault_mount.${intName}.path}`,
      certificate: expect.stringMatching(/^\$\{vault_pki_secret_backend_root_sign_intermediate\..*\.certificate\}$/),
    });
  });

  it("sets lease TTLs on both mounts: the root's lifetime on the root, the longest role max_ttl on the intermediate", () => {
    expect(mountByPath(json, "pki")[1]).toMatchObject({ type: "pki", max_lease_ttl_seconds: 87600 * 3600, default_lease_ttl_seconds: 43800 * 3600 });
    expect(mountByPath(json, "pki_int")[1]).toMatchObject({ type: "pki", max_lease_ttl_seconds: 72 * 3600, default_lease_ttl_seconds: 24 * 3600 });
  });

  it("publishes issuing and CRL URLs from the Vault address on both mounts", () => {
    const urls = Object.values(resourcesOf(json, "vault_pki_secret_backend_config_urls")).map((u: any) => [u.issuing_certificates, u.crl_distribution_points]);
    expect(urls).toEqual(
      expect.arrayContaining([
        [["https://vault.example.com:8200/v1/pki/ca"], ["https://vault.example.com:8200/v1/pki/crl"]],
        [["https://vault.example.com:8200/v1/pki_int/ca"], ["https://vault.example.com:8200/v1/pki_int/crl"]],
      ]),
    );
  });

  it("enables auto-tidy on both mounts", () => {
    const tidy = Object.values(resourcesOf(json, "vault_pki_secret_backend_config_auto_tidy"));
    expect(tidy).toHaveLength(2);
    for (const t of tidy) expect(t).toMatchObject({ enabled: true, tidy_cert_store: true, tidy_revoked_certs: true, interval_duration: "12h" });
  });

  it("creates roles restricted to their domains with enforced hostnames, no any-name, key type and size, short max_ttl", () => {
    const [intName] = mountByPath(json, "pki_int");
    const roles = Object.values(resourcesOf(json, "vault_pki_secret_backend_role"));
    expect(roles.map((r: any) => r.name).sort()).toEqual(["cert-manager", "phoenix-guardian"]);
    const pg = roles.find((r: any) => r.name === "phoenix-guardian");
    expect(pg).toMatchObject({
      backend: `\${vault_mount.${intName}.path}`,
      allowed_domains: ["phoenix-guardian.svc.cluster.local"],
      allow_subdomains: true,
      allow_any_name: false,
      allow_glob_domains: false,
      allow_wildcard_certificates: false,
      enforce_hostnames: true,
      key_type: "ec",
      key_bits: 256,
      max_ttl: String(72 * 3600),
      ttl: String(24 * 3600),
    });
  });

  it("fails if the intermediate would outlive the root", () => {
    expect(() => build((p) => Object.assign(p, { intermediateTtl: "87601h" }))).toThrow(/intermediateTtl \(87601h\) must not exceed rootTtl/);
  });
});
