/**
 * Names that differ in config but become the same construct id (and so the same Terraform address, or a crash in
 * the constructs library): the constructs turn `/` into `_` for KV and audit paths (constructs/kv-mounts.ts,
 * constructs/audit-devices.ts) and `-` into `_` for the database root-password variable
 * (stacks/vault-config-stack.ts), and put fixed ids (`mount`, `role-<name>`, `<key>-config`) beside the
 * names in the same scope. Each collision is reported on the later field, naming the earlier one (exact duplicate
 * KV and audit paths are reported by the uniqueness check in index.ts).
 */
import type { IssueFn } from "./issues";
import type { EnvironmentConfig } from ".";

/** The id a KV mount or audit device path becomes. */
export const pathId = (path: string): string => path.replace(/\//g, "_");
/** The id of a database connection's root-password variable (`database_root_password_<id>`). */
export const variableId = (name: string): string => name.replace(/-/g, "_");

/** Registers the ids one config entry produces in one construct scope; reports the first clash. */
function scope(issue: IssueFn, reported: Set<string>, exactDuplicatesReportedElsewhere = false) {
  const owners = new Map<string, { where: string; value: string }>();
  return (path: (string | number)[], value: string, ids: string[], fixed: ReadonlyMap<string, string> = new Map()) => {
    const key = path.join(".");
    for (const id of ids) {
      const clash = owners.get(id);
      const builtIn = fixed.get(id);
      if ((clash || builtIn) && reported.has(key)) return;
      if (clash || builtIn) reported.add(key);
      if (clash?.value === value) {
        if (!exactDuplicatesReportedElsewhere) issue(path, `must be unique (also used by ${clash.where})`, value);
        return;
      }
      if (clash) {
        issue(path, `collides with ${clash.where} (${JSON.stringify(clash.value)}) on the construct id "${id}"; rename one`, value);
        return;
      }
      if (builtIn) {
        issue(path, `becomes the construct id "${id}", which ${builtIn} already uses; choose another name`, value);
        return;
      }
    }
    for (const id of ids) owners.set(id, { where: path.join(".").replace(/\.(\d+)(?=\.|$)/g, "[$1]"), value });
  };
}

export function checkConstructIds(c: EnvironmentConfig, issue: IssueFn): void {
  const reported = new Set<string>();
  const kv = scope(issue, reported, true);
  // A mount's construct id is its stable `id` when set (data safety), else its path.
  c.vault.kv.forEach((m, i) => {
    const key = pathId(m.id ?? m.path);
    kv(m.id ? ["vault", "kv", i, "id"] : ["vault", "kv", i, "path"], m.id ?? m.path, [key, `${key}-config`]);
  });

  const audit = scope(issue, reported, true);
  c.vault.audit.forEach((d, i) => audit(["vault", "audit", i, "path"], d.path, [pathId(d.path)]));

  const db = c.vault.database;
  if (db) {
    const engine = scope(issue, reported);
    const engineFixed = new Map([["mount", "the database mount"]]);
    db.roles.forEach((r, i) => engineFixed.set(`role-${r.name}`, `database role vault.database.roles[${i}]`));
    const variables = scope(issue, reported);
    const stackFixed = new Map([["database_root_password_version", "the root password version variable"]]);
    db.connections.forEach((conn, i) => {
      const path = ["vault", "database", "connections", i, "name"];
      engine(conn.id ? ["vault", "database", "connections", i, "id"] : path, conn.id ?? conn.name, [conn.id ?? conn.name], engineFixed);
      variables(path, conn.name, [`database_root_password_${variableId(conn.name)}`], stackFixed);
    });
  }
}
