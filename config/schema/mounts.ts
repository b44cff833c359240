/**
 * Mount paths as Vault's router takes them (config/vault-reserved.ts cites the upstream files): secrets engines
 * share one path space, auth methods another (under auth/). In each, a mount at, above or below another is refused
 * by Vault at apply ("path is already in use at"), so two engines at one path or `secret/inner` beside `secret`
 * would fail half-way through a deploy; a secrets engine under a protected prefix (auth/, sys/, ...) is refused
 * outright; an auth method at `token` would be Vault's own token store. Each conflict is reported on the later
 * field, naming the earlier one; the engines' fixed fields come before the KV list, so an added KV mount is the one
 * named.
 */
import type { IssueFn } from "./issues";
import type { EnvironmentConfig } from ".";
import { PROTECTED_MOUNT_PREFIXES, TOKEN_AUTH_PATH } from "../vault-reserved";

interface Mount {
  readonly field: (string | number)[];
  readonly path: string;
}

const shown = (field: readonly (string | number)[]) => field.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

/** Reports mounts of one path space that are equal to or nested in an earlier one. */
function checkSpace(mounts: readonly Mount[], issue: IssueFn): void {
  const seen: Mount[] = [];
  for (const m of mounts) {
    if (typeof m.path !== "string") continue;
    const clash = seen.find((o) => o.path === m.path || m.path.startsWith(`${o.path}/`) || o.path.startsWith(`${m.path}/`));
    if (!clash) {
      seen.push(m);
      continue;
    }
    const relation =
      clash.path === m.path
        ? "collides with"
        : m.path.startsWith(`${clash.path}/`)
          ? "nests inside"
          : "contains";
    const why = clash.path === m.path ? "two mounts at one path" : "Vault refuses a mount under another";
    issue(m.field, `${relation} ${shown(clash.field)} (${JSON.stringify(clash.path)}): ${why} ("path is already in use" at apply)`, m.path);
  }
}

export function checkMounts(c: EnvironmentConfig, issue: IssueFn): void {
  const v = c.vault;
  const engines: Mount[] = [];
  if (v.database) engines.push({ field: ["vault", "database", "path"], path: v.database.path });
  if (v.transit) engines.push({ field: ["vault", "transit", "path"], path: v.transit.path });
  if (v.pki) {
    engines.push({ field: ["vault", "pki", "rootPath"], path: v.pki.rootPath });
    engines.push({ field: ["vault", "pki", "intermediatePath"], path: v.pki.intermediatePath });
  }
  if (v.aws) engines.push({ field: ["vault", "aws", "path"], path: v.aws.path });
  v.kv.forEach((m, i) => engines.push({ field: ["vault", "kv", i, "path"], path: m.path }));
  for (const m of engines) {
    const first = typeof m.path === "string" ? m.path.split("/")[0] : undefined;
    if (first !== undefined && PROTECTED_MOUNT_PREFIXES.includes(first)) {
      issue(m.field, `must not be under ${first}/, which Vault reserves for its own mounts (${PROTECTED_MOUNT_PREFIXES.map((p) => `${p}/`).join(", ")})`, m.path);
    }
  }
  checkSpace(engines.filter((m) => typeof m.path === "string" && !PROTECTED_MOUNT_PREFIXES.includes(m.path.split("/")[0])), issue);

  const auth: Mount[] = [];
  for (const method of ["kubernetes", "approle", "jwt", "oidc"] as const) {
    const mount = v.auth[method];
    if (mount) auth.push({ field: ["vault", "auth", method, "path"], path: mount.path });
  }
  for (const m of auth) {
    if (typeof m.path === "string" && (m.path === TOKEN_AUTH_PATH || m.path.startsWith(`${TOKEN_AUTH_PATH}/`))) {
      issue(m.field, `must not be ${TOKEN_AUTH_PATH}: Vault's token store is mounted at auth/${TOKEN_AUTH_PATH}`, m.path);
    }
  }
  checkSpace(auth, issue);
}
