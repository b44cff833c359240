/**
 * The identities as every later step sees them: Kubernetes roles with the audience they check resolved, and
 * `ownedPaths` and `managesPaths` after `{{config.*}}` variables are expanded, and the rule that
 * keeps ownership meaningful: an application may not declare as managed what another identity owns (the
 * least-privilege check exempts managed paths, so that would switch the isolation off). Platform identities (CI)
 * may, because applying engine configuration inside a tenant's mount (`<mount>/config`, `transit/keys/<key>`) is
 * their job; the least-privilege check and their policy tests still bound what they reach.
 */
import { expandPathList, policyVariables } from "./policy-variables";
import type { EnvironmentConfig, Identity } from "./schema";

/** `a` and `b` overlap: one is the other or lies under it (a prefix ending in `/` covers its own listing). */
function overlaps(a: string, b: string): boolean {
  const under = (p: string, prefix: string) =>
    prefix.endsWith("/") ? p.startsWith(prefix) || `${p}/` === prefix : p === prefix || p.startsWith(`${prefix}/`);
  return under(a, b) || under(b, a);
}

/** Expands the path lists of every identity in place of a copy; returns the config and the problems (path: message). */
export function expandIdentityPaths(config: EnvironmentConfig): { config: EnvironmentConfig; problems: string[] } {
  const vars = policyVariables(config);
  const known = [...vars.keys()].join(", ");
  const problems: string[] = [];
  // The audience a Kubernetes role checks: the projected token's (default "vault"), or the cluster's default one.
  const withAudience = (section: string, i: number, id: Identity): Identity => {
    const auth = id.auth;
    if (auth.method !== "kubernetes") return id;
    if (auth.tokenSource === "service-account" && auth.audience !== undefined) {
      problems.push(
        `${section}[${i}].auth.audience: must be omitted with tokenSource service-account (the role checks the standard token's audience, vault.auth.kubernetes.serviceAccountTokenAudience) (got ${JSON.stringify(auth.audience)})`,
      );
    }
    const audience = auth.tokenSource === "service-account" ? config.vault.auth.kubernetes.serviceAccountTokenAudience : (auth.audience ?? "vault");
    return { ...id, auth: { ...auth, audience } };
  };
  const expand = (section: string, i: number, id: Identity): Identity => {
    const out: Record<string, string[]> = {};
    for (const key of ["ownedPaths", "managesPaths"] as const) {
      const { paths, unknown } = expandPathList(id[key], vars);
      for (const u of unknown) {
        problems.push(`${section}[${i}].${key}[${u.index}]: ${u.names.map((n) => `{{config.${n}}}`).join(", ")} is not a policy variable (known: ${known})`);
      }
      out[key] = paths;
    }
    return { ...id, ownedPaths: out.ownedPaths, managesPaths: out.managesPaths };
  };
  const applications = config.applications.map((id, i) => withAudience("applications", i, expand("applications", i, id)));
  const platform = config.platform.map((id, i) => withAudience("platform", i, expand("platform", i, id)));

  const all = [...applications.map((id, i) => ({ id, at: `applications[${i}]` })), ...platform.map((id, i) => ({ id, at: `platform[${i}]` }))];
  applications.forEach((id, i) =>
    id.managesPaths.forEach((managed) => {
      for (const other of all) {
        if (other.id.name === id.name) continue;
        const owned = other.id.ownedPaths.find((o) => overlaps(managed, o));
        if (owned) {
          problems.push(
            `applications[${i}].managesPaths: must not claim ${JSON.stringify(managed)}, which overlaps ${other.id.name}'s ownedPaths entry ${JSON.stringify(owned)} (${other.at})`,
          );
        }
      }
    }),
  );
  return { config: { ...config, applications, platform }, problems };
}
