/**
 * The database connection's TLS on a real PostgreSQL 15 with ssl on: a server certificate for the connection's host
 * (from the synthesized connection_url) signed by a test CA. The CA that the vault-config stack sends as `tls_ca`
 * verifies it with the URL's sslmode (verify-full: chain and host name); another CA, the shipped example CA, and a
 * certificate for another name are refused. libpq's `hostaddr` reaches 127.0.0.1 while `host` is the name checked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresServer } from "../../rehearsal/postgres";
import { rawConfig } from "../helpers";
import { makeCa, makeServerCert, synthesizedDatabase } from "./synthesized-database";

/** The example CA dev (a sandbox) ships; other environments refuse it (test/config/example-material.test.ts). */
const EXAMPLE_CA: string = (rawConfig("dev") as any).vault.database.connections[0].tlsCa;
const dir = mkdtempSync(join(tmpdir(), "vault-platform-pg-tls-"));
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
    host = (await synthesizedDatabase(env, makeCa(dir, `${env}-test-ca`))).host;
    makeServerCert(dir, `${env}-server`, host, `${env}-test-ca`);
    pg = await PostgresServer.start({ tls: { certFile: join(dir, `${env}-server.crt`), keyFile: join(dir, `${env}-server.key`) } });
  }, 120_000);
  afterAll(() => pg?.stop());

  it("verifies the server with the CA the stack sends as tls_ca, at the URL's sslmode", async () => {
    const synthesized = await synthesizedDatabase(env, readFileSync(join(dir, `${env}-test-ca.crt`), "utf8"));
    expect([synthesized.host, synthesized.sslmode]).toEqual([host, "verify-full"]);
    const r = connect(synthesized.sslmode, caFile(synthesized.tlsCa, "synthesized"));
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, "t", ""]);
  });

  it("refuses the server when verified with another CA", () => {
    const r = connect("verify-full", caFile(makeCa(dir, `${env}-other-ca`), "other"));
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/certificate verify failed/)]);
  });

  it("refuses the server when verified with the example CA shipped in the sandbox config", () => {
    const r = connect("verify-full", caFile(EXAMPLE_CA, "example"));
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/certificate verify failed/)]);
  });

  it("refuses the right CA's certificate when the name the client asked for is not on it (verify-full)", () => {
    const r = connect("verify-full", join(dir, `${env}-test-ca.crt`), `other.${host}`);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(/does not match host name/)]);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
