/**
 * A throwaway PostgreSQL 15 cluster for tests (Debian's `postgresql` package, /usr/lib/postgresql/15/bin): initdb
 * in a temporary directory, listening on 127.0.0.1 and a free port only, optionally with TLS on, stopped and
 * deleted by `stop()`. initdb and the server refuse to run as root, so as root they run as the `postgres` user
 * (`runuser -u postgres --`) in a directory chowned to it; as any other user, as that user.
 *
 * Clients are the real `psql` over TCP (the way Vault's plugin and the tenants reach the server): `run` executes
 * statements, `session` keeps one connection open for as long as a test needs it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PG_BIN = process.env.VAULT_PLATFORM_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const SUPERUSER = "postgres";

/** A login to the server: role, password and database (TCP to 127.0.0.1). */
export interface Login {
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** libpq connection parameters beyond host/port/user/db, for TLS (`sslmode`, `sslrootcert`, host name). */
export type ConnectionOptions = Record<string, string>;

export interface PsqlResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PostgresOptions {
  /** Server certificate, key and (for the clients) its CA file, as PEM files; turns `ssl` on. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the server). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function lookupIds(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, user], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** A connection string for libpq: key='value' pairs, quotes and backslashes escaped. */
export function conninfo(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}='${String(v).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`)
    .join(" ");
}

export class PostgresServer {
  /** The superuser's password (TCP logins use scram-sha-256; only the unix socket in the temp dir trusts). */
  public readonly superuserPassword = `pg-${process.pid}-${Date.now()}`;
  private readonly root: boolean;
  private started = false;

  private constructor(
    public readonly dir: string,
    public readonly port: number,
  ) {
    this.root = process.getuid?.() === 0;
  }

  /** initdb, configure and start; the caller must `stop()` (in afterAll). */
  static async start(options: PostgresOptions = {}): Promise<PostgresServer> {
    if (!existsSync(join(PG_BIN, "initdb"))) throw new Error(`PostgreSQL 15 not found in ${PG_BIN} (apt-get install postgresql)`);
    const server = new PostgresServer(mkdtempSync(join(tmpdir(), "vault-platform-pg-")), await freePort());
    try {
      server.init(options);
      server.ctl(["start", "-w", "-t", "60", "-l", join(server.dir, "server.log")]);
      server.started = true;
    } catch (e) {
      server.stop();
      throw e;
    }
    return server;
  }

  private get data(): string {
    return join(this.dir, "data");
  }

  /** Runs a PostgreSQL server binary as the `postgres` user when we are root. */
  private asServerUser(bin: string, args: string[]): PsqlResult {
    const [cmd, argv] = this.root ? ["runuser", ["-u", SUPERUSER, "--", join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), args];
    const r = spawnSync(cmd, argv, { encoding: "utf8", cwd: this.dir, timeout: 120_000 });
    const result = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") };
    if (result.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${result.status}): ${result.stderr}${result.stdout}`);
    return result;
  }

  private ctl(args: string[]): void {
    this.asServerUser("pg_ctl", ["-D", this.data, ...args]);
  }

  private init(options: PostgresOptions): void {
    const pwfile = join(this.dir, "pwfile");
    writeFileSync(pwfile, `${this.superuserPassword}\n`, { mode: 0o600 });
    const files = [this.dir, pwfile];
    if (options.tls) {
      // The server refuses a key readable by others or not owned by its user.
      for (const [src, name] of [[options.tls.certFile, "server.crt"], [options.tls.keyFile, "server.key"]] as const) {
        writeFileSync(join(this.dir, name), readFileSync(src), { mode: 0o600 });
        files.push(join(this.dir, name));
      }
    }
    if (this.root) {
      const { uid, gid } = lookupIds(SUPERUSER);
      for (const f of files) chownSync(f, uid, gid);
    }
    chmodSync(this.dir, 0o700);
    this.asServerUser("initdb", ["-D", this.data, "-U", SUPERUSER, `--pwfile=${pwfile}`, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]);
    const conf = [
      "listen_addresses = '127.0.0.1'",
      `port = ${this.port}`,
      `unix_socket_directories = '${this.dir}'`,
      "password_encryption = 'scram-sha-256'",
      "fsync = off",
      ...(options.tls ? ["ssl = on", `ssl_cert_file = '${join(this.dir, "server.crt")}'`, `ssl_key_file = '${join(this.dir, "server.key")}'`] : []),
    ];
    // postgresql.auto.conf is read last: these settings win over initdb's postgresql.conf.
    const autoConf = join(this.data, "postgresql.auto.conf");
    writeFileSync(autoConf, `${conf.join("\n")}\n`);
    if (this.root) {
      const { uid, gid } = lookupIds(SUPERUSER);
      chownSync(autoConf, uid, gid);
    }
  }

  /** psql over TCP as `login`; `sql` is sent on stdin with ON_ERROR_STOP; `single` wraps it in one transaction. */
  psql(login: Login, sql: string, options: { single?: boolean; connection?: ConnectionOptions } = {}): PsqlResult {
    const args = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", ...(options.single ? ["-1"] : []), "-f", "-", "-d", this.conninfo(login, options.connection)];
    const r = spawnSync("psql", args, { input: sql, encoding: "utf8", env: this.clientEnv(), timeout: 60_000 });
    return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") };
  }

  /** Like `psql`, but throws with psql's error output when it fails; returns stdout. */
  run(login: Login, sql: string, options: { single?: boolean } = {}): string {
    const r = this.psql(login, sql, options);
    if (r.status !== 0) throw new Error(`psql as ${login.user} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  /** The superuser's login to `database`. */
  superuser(database = "postgres"): Login {
    return { user: SUPERUSER, password: this.superuserPassword, database };
  }

  conninfo(login: Login, connection: ConnectionOptions = {}): string {
    return conninfo({ host: "127.0.0.1", port: this.port, user: login.user, password: login.password, dbname: login.database, sslmode: "disable", connect_timeout: 10, ...connection });
  }

  /** One connection kept open: queries are answered in order; `close()` ends it. */
  session(login: Login): Session {
    return new Session(spawn("psql", ["-X", "-q", "-A", "-t", "-f", "-", "-d", this.conninfo(login)], { env: this.clientEnv() }));
  }

  private clientEnv(): NodeJS.ProcessEnv {
    // Nothing from the caller's PG* variables or ~/.pgpass may change whom psql connects to.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PG")));
    return { ...env, PGPASSFILE: "/dev/null", PGSSLROOTCERT: "/dev/null", PGCONNECT_TIMEOUT: "10" };
  }

  /** Stops the server (immediately) and deletes the directory. Safe to call twice. */
  stop(): void {
    if (this.started) {
      this.started = false;
      try {
        this.ctl(["stop", "-m", "immediate", "-w"]);
      } catch {
        // already gone: nothing to stop
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const MARK = "__vault_platform_done__";

/** A psql process holding one connection; each query is answered when psql echoes the marker after it. */
export class Session {
  private out = "";
  private err = "";
  private exited: number | null = null;
  private waiters: (() => void)[] = [];

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    const wake = () => this.waiters.splice(0).forEach((w) => w());
    child.stdout.on("data", (d) => ((this.out += String(d)), wake()));
    child.stderr.on("data", (d) => ((this.err += String(d)), wake()));
    child.on("exit", (code) => ((this.exited = code ?? -1), wake()));
  }

  /** Sends `sql`; resolves with what it printed (stdout, stderr) once answered, or once psql has exited. */
  async query(sql: string, timeoutMs = 20_000): Promise<{ stdout: string; stderr: string; exited: number | null }> {
    const [outStart, errStart] = [this.out.length, this.err.length];
    if (this.exited === null) this.child.stdin.write(`${sql}\n\\echo ${MARK}\n`);
    const deadline = Date.now() + timeoutMs;
    while (this.exited === null && !this.out.slice(outStart).includes(MARK)) {
      if (Date.now() > deadline) throw new Error(`session: no answer to ${sql} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return { stdout: this.out.slice(outStart).replace(`${MARK}\n`, ""), stderr: this.err.slice(errStart), exited: this.exited };
  }

  close(): void {
    if (this.exited === null) this.child.kill();
  }
}
