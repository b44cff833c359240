/**
 * Example material shipped in the default configs, recognised by content: a value that is the example fails
 * validation in any environment that is not a sandbox (`sandbox: true`), so it never reaches an apply there.
 */
import { X509Certificate } from "node:crypto";
import type { EnvironmentConfig } from "./index";
import type { IssueFn } from "./issues";

/** The value a connection's `tlsCa` holds while its CA is not known yet: the connection and its roles wait. */
export const PENDING_CA = "pending";

/**
 * Certificates shipped as examples, by SHA-256 fingerprint (Node's `X509Certificate.fingerprint256`). Their private
 * keys were discarded when they were made, so no server presents a certificate they sign.
 */
const EXAMPLE_CERTIFICATES: ReadonlyMap<string, string> = new Map([
  [
    "4B:D1:1D:EC:2A:28:D0:94:15:F0:37:92:B5:80:2B:8C:EA:72:18:CD:26:42:5F:16:28:34:FC:04:59:35:99:80",
    "the example Phoenix Guardian PostgreSQL CA",
  ],
]);

/** What the example certificates among `pem` are (empty when none is). */
export function exampleCertificates(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.flatMap((b) => {
    try {
      const what = EXAMPLE_CERTIFICATES.get(new X509Certificate(b).fingerprint256);
      return what ? [what] : [];
    } catch {
      return []; // not a certificate: its own schema reports it
    }
  });
}

/** Example material outside a sandbox: one issue per field, saying what to put there instead. */
export function checkExampleMaterial(c: EnvironmentConfig, issue: IssueFn): void {
  if (c.sandbox) return;
  c.vault.database?.connections.forEach((conn, i) => {
    if (conn.tlsCa === undefined || conn.tlsCa === PENDING_CA) return;
    const [what] = exampleCertificates(conn.tlsCa);
    if (!what) return;
    issue(
      ["vault", "database", "connections", i, "tlsCa"],
      `is ${what} shipped with vault-platform (its key was discarded: no database presents a certificate it signs, so ` +
        `Vault's verify_connection fails the apply): put here the PEM CA certificate that signs ${conn.host}'s server ` +
        `certificate, or "${PENDING_CA}" to leave connection ${conn.name} and its roles out until you have it ` +
        "(only an environment with sandbox: true may keep the example)",
    );
  });
}
