import { Construct } from "constructs";
import { pinAddress } from "./stable-address";
import { Mount } from "@cdktf/provider-vault/lib/mount";
import { PkiSecretBackendRootCert } from "@cdktf/provider-vault/lib/pki-secret-backend-root-cert";
import { PkiSecretBackendIntermediateCertRequest } from "@cdktf/provider-vault/lib/pki-secret-backend-intermediate-cert-request";
import { PkiSecretBackendRootSignIntermediate } from "@cdktf/provider-vault/lib/pki-secret-backend-root-sign-intermediate";
import { PkiSecretBackendIntermediateSetSigned } from "@cdktf/provider-vault/lib/pki-secret-backend-intermediate-set-signed";
import { PkiSecretBackendConfigUrls } from "@cdktf/provider-vault/lib/pki-secret-backend-config-urls";
import { PkiSecretBackendConfigAutoTidy } from "@cdktf/provider-vault/lib/pki-secret-backend-config-auto-tidy";
import { PkiSecretBackendRole } from "@cdktf/provider-vault/lib/pki-secret-backend-role";
import { durationSeconds } from "../config/format-rules";

/** A role that issues leaf certificates for names under its domains only. */
export interface PkiRoleProps {
  readonly name: string;
  readonly allowedDomains: readonly string[];
  /** Allow names below the allowed domains (`a.svc.cluster.local` for `svc.cluster.local`). */
  readonly allowSubdomains: boolean;
  readonly keyType: "rsa" | "ec";
  readonly keyBits: number;
  /** Default certificate lifetime (Vault duration). */
  readonly ttl: string;
  /** Longest certificate lifetime a client may ask for (Vault duration). */
  readonly maxTtl: string;
}

export interface PkiEngineProps {
  /** Vault API address; issuing and CRL URLs are `<address>/v1/<mount>/ca` and `/crl`. */
  readonly vaultAddress: string;
  readonly rootPath: string;
  readonly intermediatePath: string;
  readonly rootCommonName: string;
  readonly intermediateCommonName: string;
  /** Lifetime of the root certificate (Vault duration); also the root mount's maximum lease TTL. */
  readonly rootTtl: string;
  /** Lifetime of the intermediate certificate (Vault duration). */
  readonly intermediateTtl: string;
  readonly roles: readonly PkiRoleProps[];
  /**
   * Key type and size of the root and intermediate CA keys.
   * @default { keyType: "ec", keyBits: 384 }
   */
  readonly caKey?: { readonly keyType: "rsa" | "ec"; readonly keyBits: number };
  /**
   * How often tidy runs on both mounts, and how long past expiry a certificate is kept before tidy removes it.
   * @default { interval: "12h", safetyBuffer: "72h" }
   */
  readonly tidy?: { readonly interval: string; readonly safetyBuffer: string };
}

/**
 * A two-tier PKI: a root CA whose key is generated inside Vault and never exported (type `internal`), and an
 * intermediate CA it signs, which issues leaf certificates through roles. Both publish issuing and CRL URLs and
 * tidy expired certificates on their own.
 */
export class PkiEngine extends Construct {
  /** The intermediate mount's path attribute (roles live here). */
  public readonly intermediatePath: string;
  public readonly rootPath: string;

  constructor(scope: Construct, id: string, props: PkiEngineProps) {
    super(scope, id);
    const caKey = props.caKey ?? { keyType: "ec", keyBits: 384 };
    const tidy = props.tidy ?? { interval: "12h", safetyBuffer: "72h" };
    const rootTtl = durationSeconds(props.rootTtl);
    const intermediateTtl = durationSeconds(props.intermediateTtl);
    if (intermediateTtl > rootTtl) {
      throw new Error(`PkiEngine: intermediateTtl (${props.intermediateTtl}) must not exceed rootTtl (${props.rootTtl})`);
    }
    const address = props.vaultAddress.replace(/\/+$/, "");
    const roleMaxTtl = Math.max(...props.roles.map((r) => durationSeconds(r.maxTtl)));
    const roleTtl = Math.max(...props.roles.map((r) => durationSeconds(r.ttl)));

    // Root: a mount's max lease TTL caps every certificate it signs, so it must cover the root's own lifetime.
    const rootMount = new Mount(this, "root", {
      path: props.rootPath,
      type: "pki",
      description: "Root CA; its key never leaves Vault",
      defaultLeaseTtlSeconds: intermediateTtl,
      maxLeaseTtlSeconds: rootTtl,
    });
    pinAddress(rootMount, id, "root");
    this.rootPath = rootMount.path;
    const rootCert = new PkiSecretBackendRootCert(this, "root-cert", {
      backend: rootMount.path,
      type: "internal",
      commonName: props.rootCommonName,
      ttl: String(rootTtl),
      keyType: caKey.keyType,
      keyBits: caKey.keyBits,
      issuerName: "root",
    });
    pinAddress(rootCert, id, "root-cert");
    this.urls("root-urls", rootMount.path, props.rootPath, address);

    // Intermediate: leaf certificates are short-lived, so the mount's max lease TTL is the longest role max_ttl.
    const intMount = new Mount(this, "intermediate", {
      path: props.intermediatePath,
      type: "pki",
      description: "Intermediate CA issuing leaf certificates",
      defaultLeaseTtlSeconds: roleTtl,
      maxLeaseTtlSeconds: roleMaxTtl,
    });
    pinAddress(intMount, id, "intermediate");
    this.intermediatePath = intMount.path;
    const csr = new PkiSecretBackendIntermediateCertRequest(this, "intermediate-csr", {
      backend: intMount.path,
      type: "internal",
      commonName: props.intermediateCommonName,
      keyType: caKey.keyType,
      keyBits: caKey.keyBits,
    });
    const signed = new PkiSecretBackendRootSignIntermediate(this, "intermediate-signed", {
      backend: rootMount.path,
      csr: csr.csr,
      commonName: props.intermediateCommonName,
      ttl: String(intermediateTtl),
      // Leaf-issuing CA only: it cannot sign further CAs.
      maxPathLength: 0,
      issuerRef: rootCert.issuerId,
    });
    new PkiSecretBackendIntermediateSetSigned(this, "intermediate-set-signed", {
      backend: intMount.path,
      certificate: signed.certificate,
    });
    this.urls("intermediate-urls", intMount.path, props.intermediatePath, address);

    for (const [key, backend] of [["root-tidy", rootMount.path], ["intermediate-tidy", intMount.path]] as const) {
      new PkiSecretBackendConfigAutoTidy(this, key, {
        backend,
        enabled: true,
        tidyCertStore: true,
        tidyRevokedCerts: true,
        tidyRevokedCertIssuerAssociations: true,
        intervalDuration: tidy.interval,
        safetyBuffer: tidy.safetyBuffer,
      });
    }

    for (const r of props.roles) {
      new PkiSecretBackendRole(this, `role-${r.name}`, {
        backend: intMount.path,
        name: r.name,
        allowedDomains: [...r.allowedDomains],
        allowSubdomains: r.allowSubdomains,
        allowBareDomains: false,
        allowGlobDomains: false,
        allowWildcardCertificates: false,
        allowAnyName: false,
        allowLocalhost: false,
        allowIpSans: false,
        enforceHostnames: true,
        keyType: r.keyType,
        keyBits: r.keyBits,
        ttl: String(durationSeconds(r.ttl)),
        maxTtl: String(durationSeconds(r.maxTtl)),
      });
    }
  }

  /** `backend` orders the resource after its mount; `path` (the literal) keeps the URLs readable. */
  private urls(id: string, backend: string, path: string, address: string): void {
    new PkiSecretBackendConfigUrls(this, id, {
      backend,
      issuingCertificates: [`${address}/v1/${path}/ca`],
      crlDistributionPoints: [`${address}/v1/${path}/crl`],
    });
  }
}
