/**
 * actions/cache/restore and actions/cache/save (v4) against the world's cache store, as actions/cache behaves
 * (src/restoreImpl.ts, src/saveImpl.ts) under GitHub's access rules (docs, "Caching dependencies to speed up
 * workflows": a run reads caches created on its own ref and on the default branch; a pull request also on its base
 * branch):
 * - restore: the exact `key` first, then each `restore-keys` prefix, newest first, among visible caches; outputs
 *   `cache-hit` ("true" only for the exact key), `cache-primary-key` and `cache-matched-key`. No match is no error.
 * - save: stores `path` under `key`, scoped to the run's ref; a key that already exists there is not overwritten
 *   (a warning, "Unable to reserve cache with key ...", and the step succeeds).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { record } from "./call-log";
import { asString } from "./expressions";
import type { ActionContext, ActionResult } from "./model";

interface CacheEntry {
  readonly key: string;
  readonly ref: string;
  readonly id: number;
}

const store = (ctx: ActionContext) => join(ctx.world.dir, "caches");
function entries(ctx: ActionContext): CacheEntry[] {
  const file = join(store(ctx), "index.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
}

function refs(ctx: ActionContext): { own: string; visible: string[] } {
  const github = ctx.expressions.github as Record<string, unknown>;
  const own = asString(github.ref as string);
  const base = ((github.event as Record<string, any> | undefined)?.pull_request?.base?.ref as string | undefined) ?? undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  return { own, visible: [own, "refs/heads/main", ...(base ? [`refs/heads/${base}`] : [])] };
}

export function cacheRestore(inputs: Record<string, string>, ctx: ActionContext): ActionResult {
  const { visible } = refs(ctx);
  const candidates = entries(ctx).filter((e) => visible.includes(e.ref)).sort((a, b) => b.id - a.id);
  const prefixes = (inputs["restore-keys"] ?? "").split("\n").map((k) => k.trim()).filter(Boolean);
  const found = candidates.find((e) => e.key === inputs.key) ?? prefixes.map((p) => candidates.find((e) => e.key.startsWith(p))).find(Boolean);
  record(ctx, "cache-restore", { key: inputs.key, matched: found?.key ?? null });
  const outputs = { "cache-hit": String(found?.key === inputs.key), "cache-primary-key": inputs.key, "cache-matched-key": found?.key ?? "" };
  if (!found) return { outputs, log: `Cache not found for input keys: ${[inputs.key, ...prefixes].join(", ")}` };
  cpSync(join(store(ctx), String(found.id)), join(ctx.workspace, inputs.path), { recursive: true });
  return { outputs, log: `Cache restored from key: ${found.key}` };
}

export function cacheSave(inputs: Record<string, string>, ctx: ActionContext): ActionResult {
  const { own } = refs(ctx);
  const all = entries(ctx);
  if (all.some((e) => e.key === inputs.key && e.ref === own)) {
    record(ctx, "cache-save", { key: inputs.key, saved: false });
    return { log: `Warning: Failed to save: Unable to reserve cache with key ${inputs.key}, another job may be creating this cache.` };
  }
  const source = join(ctx.workspace, inputs.path);
  if (!existsSync(source)) throw new Error(`Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.`);
  const id = all.length + 1;
  mkdirSync(store(ctx), { recursive: true });
  cpSync(source, join(store(ctx), String(id)), { recursive: true });
  writeFileSync(join(store(ctx), "index.json"), JSON.stringify([...all, { key: inputs.key, ref: own, id }]));
  record(ctx, "cache-save", { key: inputs.key, saved: true });
  return { log: `Cache saved with key: ${inputs.key}` };
}
