/**
 * A stand-in for Vault's PostgreSQL database plugin: it runs a role's creation, renewal and revocation statements
 * against a real server the way the plugin does, with the template variables filled as the plugin fills them.
 * Modelled on hashicorp/vault:
 * - plugins/database/postgresql/postgresql.go: NewUser runs every creation statement inside one transaction, each
 *   split on ";" (strutil.ParseArbitraryStringSlice), trimmed, empty pieces skipped, with {{name}}, {{username}},
 *   {{password}} and {{expiration}}; a statement containing the word END (outside quotes) runs as one piece.
 *   changeUserExpiration (renewal) runs the role's renew statements, or the default
 *   `ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}';` when it has none, with {{name}}, {{username}},
 *   {{expiration}}. customDeleteUser (revocation) runs the revocation statements in one transaction with {{name}},
 *   {{username}}. Expirations are formatted with Go's layout "2006-01-02 15:04:05-0700".
 * - sdk/database/helper/credsutil/usernames.go: the user name is "v", the display name truncated to 8, the role
 *   name truncated to 8, 20 random alphanumerics and the Unix time, joined by "-" (postgresql.go's Separator), the
 *   whole truncated to 63 (MaxLength).
 * - sdk/helper/random/string_generator.go: DefaultStringGenerator (the password when the role names no password
 *   policy): 20 characters of [a-z A-Z 0-9 -], at least one of each class.
 * - sdk/helper/dbtxn/dbtxn.go: parseQuery replaces each {{key}} with its value (strings.ReplaceAll), no quoting.
 */
import { randomInt } from "node:crypto";
import type { Login, PostgresServer } from "./postgres";

const DEFAULT_RENEW = `ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}';`;
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const DIGITS = "0123456789";

/** The statements of one `vault_database_secret_backend_role`, as synthesized. */
export interface RoleStatements {
  readonly name: string;
  readonly creation: readonly string[];
  readonly renewal: readonly string[];
  readonly revocation: readonly string[];
}

/** Go's "2006-01-02 15:04:05-0700" for a UTC time (Vault's lease expirations are UTC). */
export function expirationString(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace("T", " ")}+0000`;
}

function random(charset: string, n: number): string {
  return Array.from({ length: n }, () => charset[randomInt(charset.length)]).join("");
}

/** credsutil.GenerateUsername with postgresql.go's options. */
export function generateUsername(displayName: string, roleName: string, now: Date): string {
  const parts = ["v", displayName.slice(0, 8), roleName.slice(0, 8), random(LOWER + UPPER + DIGITS, 20), String(Math.floor(now.getTime() / 1000))];
  return parts.filter((p) => p !== "").join("-").slice(0, 63);
}

/** DefaultStringGenerator: 20 characters, at least one lower, upper, digit and "-". */
export function generatePassword(): string {
  for (;;) {
    const p = random(LOWER + UPPER + DIGITS + "-", 20);
    if ([LOWER, UPPER, DIGITS, "-"].every((set) => [...p].some((c) => set.includes(c)))) return p;
  }
}

/** dbtxn parseQuery: plain replacement of every {{key}}. */
export function fillTemplate(query: string, values: Record<string, string>): string {
  return Object.entries(values).reduce((q, [k, v]) => q.split(`{{${k}}}`).join(v), query);
}

/** postgresql.go containsMultilineStatement: the word END outside quoted phrases. */
function multiline(stmt: string): boolean {
  return /\bEND\b/.test(stmt.replace(/".*?"|'.*?'/g, ""));
}

/** The queries one statement becomes: itself when multiline, else its ";"-separated, trimmed, non-empty pieces. */
export function queriesOf(stmt: string, values: Record<string, string>): string[] {
  const pieces = multiline(stmt) ? [stmt] : stmt.split(";").map((q) => q.trim()).filter((q) => q.length > 0);
  return pieces.map((q) => fillTemplate(q, values));
}

/** A dynamic credential as Vault hands it out. */
export interface Credential {
  readonly username: string;
  readonly password: string;
  readonly expiration: Date;
}

/** Vault's plugin for one connection: logs in as the connection's root user and runs the statements. */
export class PostgresPlugin {
  constructor(
    private readonly server: PostgresServer,
    private readonly root: Login,
  ) {}

  /** Runs `queries` in one transaction as the root user; throws with the server's error. */
  private transaction(queries: string[]): void {
    this.server.run(this.root, queries.map((q) => `${q};`).join("\n"), { single: true });
  }

  /** `vault read <mount>/creds/<role>`: a new user valid until now + ttl. */
  newUser(role: RoleStatements, opts: { displayName: string; ttlSeconds: number; now?: Date }): Credential {
    if (role.creation.length === 0) throw new Error("empty creation statements");
    const now = opts.now ?? new Date();
    const cred = { username: generateUsername(opts.displayName, role.name, now), password: generatePassword(), expiration: new Date(now.getTime() + opts.ttlSeconds * 1000) };
    const values = { name: cred.username, username: cred.username, password: cred.password, expiration: expirationString(cred.expiration) };
    this.transaction(role.creation.flatMap((s) => queriesOf(s, values)));
    return cred;
  }

  /** A lease renewal: the renew statements (or the plugin's default) with the new expiration. */
  renewUser(role: RoleStatements, username: string, expiration: Date): void {
    const statements = role.renewal.length > 0 ? role.renewal : [DEFAULT_RENEW];
    const values = { name: username, username, expiration: expirationString(expiration) };
    this.transaction(statements.flatMap((s) => queriesOf(s, values)));
  }

  /** A lease revocation with the role's revocation statements (every role here has them). */
  revokeUser(role: RoleStatements, username: string): void {
    if (role.revocation.length === 0) throw new Error(`role ${role.name}: no revocation statements (the plugin's default revocation is not modelled)`);
    this.transaction(role.revocation.flatMap((s) => queriesOf(s, { name: username, username })));
  }
}
