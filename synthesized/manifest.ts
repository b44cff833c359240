import { readFileSync } from "node:fs";
import { join } from "node:path";
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
  }[];
}

export interface SynthesizedEnvironment {
  readonly environment: string;
  readonly stacks: StackView[];
  readonly suppressions: readonly Suppression[];
  readonly destructions: readonly Destruction[];
  /** Each stack's synthesized file (path under the output directory) and its text, by stack id. */
  readonly files: ReadonlyMap<string, { readonly path: string; readonly text: string }>;
}

/** Reads a synthesized output directory (`cdktf.out`) back into stack views, per environment. */
export function readSynthesized(outdir: string): SynthesizedEnvironment[] {
  let platform: PlatformManifest;
  let cdktf: { stacks: Record<string, { synthesizedStackPath: string }> };
  try {
    platform = JSON.parse(readFileSync(join(outdir, PLATFORM_MANIFEST), "utf8"));
    cdktf = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  } catch (e) {
    throw new Error(`${outdir}: not a vault-platform synth output (run npm run synth first): ${(e as Error).message}`);
  }
  return platform.environments.map((env) => {
    const files = new Map<string, { path: string; text: string }>();
    const stacks = env.stacks.map((id) => {
      const entry = cdktf.stacks[id];
      if (!entry) throw new Error(`${outdir}: stack ${id} is missing from manifest.json`);
      const text = readFileSync(join(outdir, entry.synthesizedStackPath), "utf8");
      files.set(id, { path: entry.synthesizedStackPath, text });
      return new StackView(id, JSON.parse(text));
    });
    return { environment: env.environment, suppressions: env.suppressions, destructions: env.destructions ?? [], stacks, files };
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
