import { pkiKeyInternal } from "../../../../compliance/packs/vault-config/pki-key-internal";
import { blockOf, configStack } from "./fixtures";

describe("VCF-PKI-001 pkiKeyInternal", () => {
  it("is compliant for internal root and intermediate keys", () => {
    const view = configStack();
    expect(pkiKeyInternal.check(blockOf(view, "vault_pki_secret_backend_root_cert.root"), view)).toEqual({
      status: "compliant",
      evidence: "vault_pki_secret_backend_root_cert.root type = internal",
    });
    expect(pkiKeyInternal.check(blockOf(view, "vault_pki_secret_backend_intermediate_cert_request.csr"), view).status).toBe("compliant");
  });

  it("is non-compliant for an exported root key", () => {
    const view = configStack((j) => (j.resource.vault_pki_secret_backend_root_cert.root.type = "exported"));
    expect(pkiKeyInternal.check(blockOf(view, "vault_pki_secret_backend_root_cert.root"), view)).toEqual({
      status: "non-compliant",
      found: 'vault_pki_secret_backend_root_cert.root type = "exported" (internal required)',
    });
  });
});
