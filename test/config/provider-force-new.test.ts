/**
 * The stateful lock compares every attribute whose change makes the pinned provider replace a stateful resource
 * (#24 point 6): config/providers/force-new.json, read by scripts/provider-force-new.ts from the providers' Go source
 * at the pinned versions, is what the lock compares; its versions are the ones node_modules pins; every attribute
 * it names exists in the pinned prebuilt provider's binding of that resource; and a change of each one, including
 * unset to set, is refused by the lock check itself.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXTRA_REPLACED_BY, PROVIDER_FORCE_NEW, STATEFUL_TYPES, type StatefulLock } from "../../config/stateful";
import { checkStatefulLock } from "../../compliance/stateful-lock";
import { ROOT, configFor } from "../helpers";

const TYPES = Object.keys(STATEFUL_TYPES).sort();
/** `vault_mount` -> the prebuilt provider package and the binding's directory (`@cdktf/provider-vault`, `mount`). */
function binding(type: string): { pkg: string; dir: string } {
  const [provider, ...rest] = type.split("_");
  return { pkg: `@cdktf/provider-${provider}`, dir: rest.join("-") };
}
const camel = (attr: string) => attr.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

describe("the stateful lock's attributes come from the pinned providers' ForceNew schema", () => {
  it("has the provider's ForceNew attributes for every stateful type, or an extra list saying why it has not", () => {
    const missing = TYPES.filter((t) => !PROVIDER_FORCE_NEW[t] && !EXTRA_REPLACED_BY[t]?.reason);
    expect(missing).toEqual([]);
    for (const t of TYPES.filter((t) => !PROVIDER_FORCE_NEW[t])) expect(EXTRA_REPLACED_BY[t]!.reason.length).toBeGreaterThan(40);
  });

  it("was read at the provider versions node_modules pins (a provider upgrade needs scripts/provider-force-new.ts again)", () => {
    for (const [type, entry] of Object.entries(PROVIDER_FORCE_NEW)) {
      if (type === "//") continue;
      const { pkg } = binding(type);
      const providerJs = readFileSync(join(ROOT, "node_modules", pkg, "lib", "provider", "index.js"), "utf8");
      const pinned = /providerVersion: '([^']+)'/.exec(providerJs)?.[1];
      expect({ type, version: entry.version }).toEqual({ type, version: pinned });
    }
  });

  it("names only attributes the pinned prebuilt provider has on that resource", () => {
    const unknown: string[] = [];
    for (const [type, entry] of Object.entries(PROVIDER_FORCE_NEW)) {
      if (type === "//") continue;
      const { pkg, dir } = binding(type);
      const dts = readFileSync(join(ROOT, "node_modules", pkg, "lib", dir, "index.d.ts"), "utf8");
      for (const attr of entry.forceNew) {
        const leaf = camel(attr.split(".").pop()!);
        if (!new RegExp(`\\b(get )?${leaf}\\??[:(]`).test(dts)) unknown.push(`${type}.${attr}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it.each(TYPES)("%s: the lock compares every ForceNew attribute, and refuses a change of each, unset to set included", (type) => {
    const forceNew = PROVIDER_FORCE_NEW[type]?.forceNew ?? [];
    expect(STATEFUL_TYPES[type]!.replacedBy).toEqual(expect.arrayContaining([...forceNew]));
    const config = configFor("dev");
    const address = `${type}.probe`;
    for (const attr of STATEFUL_TYPES[type]!.replacedBy) {
      const locked: StatefulLock = { "vault-config-dev": { [address]: { [attr]: "before" } } };
      const unset: StatefulLock = { "vault-config-dev": { [address]: {} } };
      const changed: StatefulLock = { "vault-config-dev": { [address]: { [attr]: "after" } } };
      expect(checkStatefulLock("config/dev.yaml", config, locked, changed)).toEqual([expect.stringContaining(attr)]);
      expect(checkStatefulLock("config/dev.yaml", config, unset, changed)).toEqual([expect.stringContaining(attr)]);
      expect(checkStatefulLock("config/dev.yaml", config, locked, locked)).toEqual([]);
    }
  });
});
