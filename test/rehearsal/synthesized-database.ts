/** The database connection and roles as a vault-config stack synthesizes them, and test CAs made with openssl. */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { addEnvironment } from "../../stacks/environment";
import type { RoleStatements } from "../../rehearsal/vault-database-plugin";
import { configFor, defaultPolicies, provideDatabaseCa, resourcesOf, synthJson } from "../helpers";

export interface SynthesizedDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly sslmode: string;
  readonly tlsCa: string;
  readonly rootUser: string;
  readonly roles: (RoleStatements & { ttlSeconds: number; maxTtlSeconds: number })[];
}

/**
 * The one connection of `env`'s vault-config stack and its roles. `tlsCa` replaces the configured CA first; without
 * it, a CA that is pending becomes the test CA (a pending connection is not synthesized: this is it once provided).
 */
export async function synthesizedDatabase(env: "dev" | "prod", tlsCa?: string): Promise<SynthesizedDatabase> {
  const config = configFor(env, (raw) => {
    if (tlsCa) raw.vault.database.connections[0].tlsCa = tlsCa;
    else provideDatabaseCa(raw);
  });
  const json = synthJson(addEnvironment(Testing.app(), config, await defaultPolicies()).vaultConfig);
  const connections = Object.values(resourcesOf(json, "vault_database_secret_backend_connection"));
  if (connections.length !== 1) throw new Error(`vault-config-${env}: expected one database connection, found ${connections.length}`);
  const conn: any = connections[0];
  const url = new URL(conn.postgresql.connection_url.replace("{{username}}:{{password}}@", "u:p@"));
  const roles = Object.values(resourcesOf(json, "vault_database_secret_backend_role")).map((r: any) => ({
    name: r.name as string,
    creation: r.creation_statements ?? [],
    renewal: r.renew_statements ?? [],
    revocation: r.revocation_statements ?? [],
    ttlSeconds: r.default_ttl as number,
    maxTtlSeconds: r.max_ttl as number,
  }));
  return {
    host: url.hostname,
    port: Number(url.port),
    database: decodeURIComponent(url.pathname.slice(1)),
    sslmode: url.searchParams.get("sslmode")!,
    tlsCa: conn.postgresql.tls_ca,
    rootUser: conn.postgresql.username,
    roles,
  };
}

/** openssl in `dir`. */
export function openssl(dir: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

/** A self-signed CA (EC P-256) as `<dir>/<name>.crt` and `.key`; returns the certificate's PEM. */
export function makeCa(dir: string, name: string): string {
  openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  return readFileSync(join(dir, `${name}.crt`), "utf8");
}

/** A server certificate for `host`, signed by CA `issuer` (made by makeCa in `dir`), as `<dir>/<name>.crt` and `.key`. */
export function makeServerCert(dir: string, name: string, host: string, issuer: string): void {
  openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${host}`);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, "x509", "-req", "-in", `${name}.csr`, "-CA", `${issuer}.crt`, "-CAkey", `${issuer}.key`, "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`);
}
