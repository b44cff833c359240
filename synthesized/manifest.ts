import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { listDirectory, readTextFile } from "../config/files";
import { formatPath } from "../config/load";
import type { PendingItem } from "../config/pending";
import type { Destruction, Suppression } from "../config/schema";
import type { Provenance } from "./provenance";
import { StackView } from "./stack-view";

/** File beside cdktf's manifest.json that records each environment's stacks and suppressions. */
export const PLATFORM_MANIFEST = "vault-platform.json";

export interface PlatformManifest {
  /** The commit and time synth ran from (absent in outputs of older versions). */
  readonly source?: Provenance;
  readonly environments: {
    environment: string;
    stacks: string[];
    suppressions: readonly Suppression[];
    /** Stateful resources the environment lets a plan destroy (read by the plan gate). */
    destructions?: readonly Destruction[];
    /** What the config leaves out of the apply until it is provided (config/pending.ts). */
    pending?: readonly PendingItem[];
    /** The applications onboarded in the environment: their login and the paths they own (for the tenant view). */
    tenants?: readonly Tenant[];
  }[];
}

/** An application (a tenant of Vault) as the report reads it: its login role and the path prefixes it owns. */
export interface Tenant {
  readonly name: string;
  /** The config's auth method (`oidc` logins are `jwt` roles in Vault). */
  readonly method: string;
  readonly role: string;
  readonly ownedPaths: readonly string[];
}

export interface SynthesizedEnvironment {
  readonly environment: string;
  readonly stacks: StackView[];
  readonly suppressions: readonly Suppression[];
  readonly destructions: readonly Destruction[];
  readonly pending: readonly PendingItem[];
  readonly tenants: readonly Tenant[];
  /** Each stack's synthesized file (path under the output directory) and its text, by stack id. */
  readonly files: ReadonlyMap<string, { readonly path: string; readonly text: string }>;
}

/** A synthesized output that is missing or not in the shape synth writes: the message names the file and field. */
export class SynthOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthOutputError";
  }
}

/** Reads and parses one JSON file of the output; throws a SynthOutputError naming it. */
function readJson(outdir: string, file: string): { text: string; value: unknown } {
  const path = join(outdir, file);
  const read = readTextFile(path);
  if (read.problem !== undefined) throw new SynthOutputError(`${path}: ${read.problem}: not a vault-platform synth output (run npm run synth first)`);
  try {
    return { text: read.text, value: JSON.parse(read.text) as unknown };
  } catch (e) {
    throw new SynthOutputError(`${path}: not JSON (${(e as Error).message})`);
  }
}

/**
 * The shapes synth writes, checked when an output is read back. Built on first use: synth itself (which imports this
 * module for the file name) then never loads zod (config/validated-cache.ts).
 */
function outputShapes() {
  const { z } = require("zod") as typeof import("zod");
  const platformShape = z.looseObject({
    environments: z.array(
      z.looseObject({
        environment: z.string(),
        stacks: z.array(z.string()),
        suppressions: z.array(z.looseObject({})),
        destructions: z.array(z.looseObject({})).optional(),
        pending: z.array(z.strictObject({ item: z.string(), field: z.string(), awaiting: z.string(), leftOut: z.array(z.string()) })).optional(),
        tenants: z.array(z.strictObject({ name: z.string(), method: z.string(), role: z.string(), ownedPaths: z.array(z.string()) })).optional(),
      }),
    ),
  });
  const cdktfShape = z.looseObject({ stacks: z.record(z.string(), z.looseObject({ synthesizedStackPath: z.string() })) });
  /** What a stack view reads: top-level blocks are objects of objects keyed by type and name. */
  const blocks = z.record(z.string(), z.record(z.string(), z.unknown().refine((v) => v !== null && typeof v === "object", "must be an object")));
  const stackShape = z.looseObject({ resource: blocks.optional(), data: blocks.optional(), provider: z.record(z.string(), z.unknown()).optional() });
  return { platformShape, cdktfShape, stackShape };
}
let shapes: ReturnType<typeof outputShapes> | undefined;

function checked<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((i) => `${formatPath(i.path) || "(top level)"}: ${i.message}`);
  throw new SynthOutputError(`${where}: not in the shape synth writes: ${issues.join("; ")}`);
}

/** Reads a synthesized output directory (`cdktf.out`) back into stack views, per environment. */
export function readSynthesized(outdir: string): SynthesizedEnvironment[] {
  const listing = listDirectory(outdir);
  if (listing.problem !== undefined) throw new SynthOutputError(`${outdir}: ${listing.problem}: not a vault-platform synth output (run npm run synth first)`);
  shapes ??= outputShapes();
  const { platformShape, cdktfShape, stackShape } = shapes;
  const platform = checked(platformShape, readJson(outdir, PLATFORM_MANIFEST).value, join(outdir, PLATFORM_MANIFEST));
  const cdktf = checked(cdktfShape, readJson(outdir, "manifest.json").value, join(outdir, "manifest.json"));
  return platform.environments.map((env) => {
    const files = new Map<string, { path: string; text: string }>();
    const stacks = env.stacks.map((id) => {
      const entry = Object.hasOwn(cdktf.stacks, id) ? cdktf.stacks[id] : undefined;
      if (!entry) throw new SynthOutputError(`${join(outdir, "manifest.json")}: stack ${id} (listed in ${PLATFORM_MANIFEST}) is missing`);
      const { text, value } = readJson(outdir, entry.synthesizedStackPath);
      const json = checked(stackShape, value, join(outdir, entry.synthesizedStackPath));
      files.set(id, { path: entry.synthesizedStackPath, text });
      return new StackView(id, json);
    });
    return {
      environment: env.environment,
      suppressions: env.suppressions as unknown as readonly Suppression[],
      destructions: (env.destructions ?? []) as unknown as readonly Destruction[],
      pending: env.pending ?? [],
      tenants: env.tenants ?? [],
      stacks,
      files,
    };
  });
}

/** The provenance synth recorded in `outdir`, if any. */
export function readProvenance(outdir: string): Provenance | undefined {
  try {
    return (JSON.parse(readFileSync(join(outdir, PLATFORM_MANIFEST), "utf8")) as PlatformManifest).source;
  } catch {
    return undefined;
  }
}
