import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { ActionContext } from "./model";

/** Appends one served action call to the world's log.jsonl, with the run, job and zone it ran in (rehearsal/world.js). */
export const record = (ctx: ActionContext, tool: string, detail: Record<string, unknown>) =>
  appendFileSync(join(ctx.world.dir, "log.jsonl"), JSON.stringify({ tool, run: String(ctx.runId), job: ctx.job, zone: ctx.zone, ...detail }) + "\n");
