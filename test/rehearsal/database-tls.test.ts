/**
 * The database connection's TLS on a real PostgreSQL 15 with ssl on: a server certificate for the connection's host
 * (from the synthesized connection_url) signed by a test CA. The CA that the vault-config stack sends as `tls_ca`
 * verifies it with the URL's sslmode (verify-full: chain and host name); another CA, the shipped example CA, and a
 * certificate for another name are refused. libpq's `hostaddr` reaches 127.0.0.1 while `host` is the name checked.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { addEnvironment } from "../../stacks/environment";
import { PostgresServer } from "../../rehearsal/postgres";
import { configFor, defaultPolicies, resourcesOf, synthJson } from "../helpers";

const dir = mkdtempSync(join(tmpdir(), "vault-platform-pg-tls-"));
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

/** A self-signed CA (EC P-256) as `<name>.crt`/`<name>.key`. */
function ca(name: string): string {
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2", "-subj", `/CN=${name}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  return readFileSync(join(dir, `${name}.crt`), "utf8");
}

/** A server certificate for `host`, signed by CA `issuer`, as `<name>.crt`/`<name>.key`. */
function serverCert(name: string, host: string, issuer: string): void {
  openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${host}`);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
  openssl("x509", "-req", "-in", `${name}.csr`, "-CA", `${issuer}.crt`, "-CAkey", `${issuer}.key`, "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`);
}

/** The synthesized connection of `env` when its config carries `tlsCa` (the shipped value if undefined). */
async function connection(env: "dev" | "prod", tlsCa?: string): Promise<{ host: string; port: number; database: string; sslmode: string; tlsCa: string }> {
  const config = configFor(env, (raw) => {
    if (tlsCa) raw.vault.database.connections[0].tlsCa = tlsCa;
  });
  const json = synthJson(addEnvironment(Testing.app(), config, await defaultPolicies()).vaultConfig);
  const conn: any = Object.values(resourcesOf(json, "vault_database_secret_backend_connection"))[0];
  const url = new URL(conn.postgresql.connection_url.replace("{{username}}:{{password}}@", "u:p@"));
  return { host: url.hostname, port: Number(url.port), database: url.pathname.slice(1), sslmode: url.searchParams.get("sslmode")!, tlsCa: conn.postgresql.tls_ca };
}

describe.each(["dev", "prod"] as const)("the database connection of vault-config-%s over TLS", (env) => {
  let pg: PostgresServer;
  let host: string;
  const caFile = (pem: string, name: string) => {
    writeFileSync(join(dir, `${env}-${name}.pem`), pem);
    return join(dir, `${env}-${name}.pem`);
  };
  /** psql to the server as the superuser, verifying it with `rootcert` against the name `name`. */
  const connect = (sslmode: string, rootcert: string, name = host) =>
    pg.psql(pg.superuser(), "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();", { connection: { host: name, hostaddr: "127.0.0.1", sslmode, sslrootcert: rootcert } });

  beforeAll(async () => {
    host = (await connection(env)).host;
    ca(`${env}-test-ca`);
    serverCert(`${env}-server`, host, `${env}-test-ca`);
    pg = await PostgresServer.start({ tls: { certFile: join(dir, `${env}-server.crt`), keyFile: join(dir, `${env}-server.key`) } });
  }, 120_000);
  afterAll(() => pg?.stop());

  it("verifies the server with the CA the stack sends as tls_ca, at the URL's sslmode", async () => {
    const synthesized = await connection(env, readFileSync(join(dir, `${env}-test-ca.crt`), "utf8"));
    expect([synthesized.host, synthesized.sslmode]).toEqual([host, "verify-full"]);
    const r = connect(synthesized.sslmode, caFile(synthesized.tlsCa, "synthesized"));
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, "t", ""]);
  });

  it("refuses the server when verified with another CA", () => {
    const r = connect("verify-full", caFile(ca(`${env}-other-ca`), "other"));
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/certificate verify failed/)]);
  });

  it("refuses the server when verified with the shipped example CA", async () => {
    const shipped = await connection(env);
    const r = connect(shipped.sslmode, caFile(shipped.tlsCa, "shipped"));
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/certificate verify failed/)]);
  });

  it("refuses the right CA's certificate when the name the client asked for is not on it (verify-full)", () => {
    const r = connect("verify-full", join(dir, `${env}-test-ca.crt`), `other.${host}`);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/does not match host name/)]);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
