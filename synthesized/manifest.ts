import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Suppression } from "../config/schema";
import { StackView } from "./stack-view";

/** File beside cdktf's manifest.json that records each environment's stacks and suppressions. */
export const PLATFORM_MANIFEST = "vault-platform.json";

export interface PlatformManifest {
  readonly environments: { environment: string; stacks: string[]; suppressions: readonly Suppression[] }[];
}

export interface SynthesizedEnvironment {
  readonly environment: string;
  readonly stacks: StackView[];
  readonly suppressions: readonly Suppression[];
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
  return platform.environments.map((env) => ({
    environment: env.environment,
    suppressions: env.suppressions,
    stacks: env.stacks.map((id) => {
      const entry = cdktf.stacks[id];
      if (!entry) throw new Error(`${outdir}: stack ${id} is missing from manifest.json`);
      return new StackView(id, JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")));
    }),
  }));
}
