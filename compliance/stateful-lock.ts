/**
 * Synth-time refusal of edits that would destroy data: the stateful resources synthesized now, compared with the
 * environment's committed stateful lock (config/stateful.ts). A lock address that is no longer synthesized would
 * be destroyed by the next plan; a changed `replacedBy` attribute would replace the resource. Either is refused,
 * with how to make the change safely, unless `compliance.destructions` names the address.
 */
import type { Destruction, EnvironmentConfig } from "../config/schema";
import { STATEFUL_TYPES, isStatefulType, typeOfAddress, type StatefulLock } from "../config/stateful";
import { firstBlock, type StackView } from "../synthesized/stack-view";

const REFERENCE = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

/** `metadata.name` of a block, a nested block in either synthesized shape, with same-stack references resolved. */
function valueOf(view: StackView, attributes: Readonly<Record<string, unknown>>, path: string, depth = 0): unknown {
  const [head, ...rest] = path.split(".");
  let value: unknown = attributes[head!];
  if (rest.length > 0) {
    const block = firstBlock(value);
    return block === undefined ? undefined : valueOf(view, block, rest.join("."), depth);
  }
  const ref = typeof value === "string" && depth < 5 ? REFERENCE.exec(value) : null;
  if (ref) {
    // `${vault_mount.pki_root.path}`: the value it resolves to decides whether the provider replaces.
    const target = view.all().find((b) => b.address === ref[1]);
    const resolved = target ? valueOf(view, target.attributes, ref[2]!, depth + 1) : undefined;
    if (resolved !== undefined) value = resolved;
  }
  return value;
}

/** Every stateful resource of the stacks, with the attributes whose change replaces it, by stack and address. */
export function statefulInventory(stacks: readonly StackView[]): StatefulLock {
  const lock: StatefulLock = {};
  for (const view of stacks) {
    const entries: Record<string, Record<string, unknown>> = {};
    for (const block of view.all()) {
      if (!isStatefulType(block.type)) continue;
      const identity: Record<string, unknown> = {};
      for (const attr of STATEFUL_TYPES[block.type]!.replacedBy) {
        const value = valueOf(view, block.attributes, attr);
        if (value !== undefined) identity[attr] = value;
      }
      entries[block.address] = identity;
    }
    lock[view.id] = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
  }
  return lock;
}

/** Config paths whose value is `value` (to say which field an edit changed), at most three. */
function fieldsHolding(config: unknown, value: unknown, path = ""): string[] {
  if (typeof value !== "string") return [];
  if (config === value) return [path];
  if (config === null || typeof config !== "object") return [];
  const found: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    const p = Array.isArray(config) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    for (const f of fieldsHolding(v, value, p)) if (found.length < 3) found.push(f);
  }
  return found;
}

/** The value an unset optional attribute defaults to in the providers (false, 0, "", empty list): no replacement. */
const isZero = (v: unknown) => v === false || v === 0 || v === "" || (Array.isArray(v) && v.length === 0);

const show = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));

/**
 * The problems of one environment (empty when every locked stateful resource is kept). `file` prefixes each
 * message (`config/prod.yaml`).
 */
export function checkStatefulLock(
  file: string,
  config: EnvironmentConfig,
  lock: StatefulLock,
  current: StatefulLock,
  destructions: readonly Destruction[] = config.compliance.destructions,
): string[] {
  const allowed = new Set(destructions.map((d) => d.resource));
  const problems: string[] = [];
  const deliberately = (address: string) =>
    `To destroy it deliberately, add to compliance.destructions: { resource: ${address}, reason, owner, expires }.`;
  for (const [stack, resources] of Object.entries(lock)) {
    const now = current[stack];
    if (now === undefined) continue; // a stack this config no longer has is not synthesized from this file
    for (const [address, identity] of Object.entries(resources)) {
      if (allowed.has(address)) continue;
      const type = typeOfAddress(address);
      const about = STATEFUL_TYPES[type];
      const safely = about ? ` Safely: ${about.safely}.` : "";
      const loses = about ? `, losing ${about.loses}` : "";
      if (!(address in now)) {
        const added = Object.keys(now).filter((a) => typeOfAddress(a) === type && !(a in resources));
        const renamed = added.length > 0 ? ` If it was renamed to ${added.map((a) => `\`${a}\``).join(" or ")}, keep its old stable \`id\` (or code name) instead.` : "";
        problems.push(`${file}: ${stack}: \`${address}\` is no longer synthesized: the next plan destroys it${loses}.${renamed}${safely} ${deliberately(address)}`);
        continue;
      }
      // Every replacing attribute either side holds: one the lock leaves unset and the config now sets (Object Lock
      // on a bucket, multi_region on a key, derived on a transit key) replaces the resource as surely as a change.
      const after = now[address]!;
      for (const attr of new Set([...Object.keys(identity), ...Object.keys(after)])) {
        const [was, is] = [identity[attr], after[attr]];
        if (JSON.stringify(was) === JSON.stringify(is) || (was === undefined && isZero(is))) continue;
        const [before, after2] = [was, is];
        const fields = fieldsHolding(config, after2);
        const via = fields.length > 0 ? ` (set by ${fields.join(", ")})` : "";
        problems.push(
          `${file}: ${stack}: \`${address}\` ${attr} changes from ${show(before)} to ${show(after2)}${via}, which replaces it${loses}.${safely} ${deliberately(address)}`,
        );
      }
    }
  }
  return problems;
}
