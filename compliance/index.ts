/** Wires compliance into an app: one Aspect per rule pack on every stack. */
import { Aspects, type TerraformStack } from "cdktf";
import { RulePackAspect, StackViews } from "./aspect";
import type { Finding, Suppression } from "./evaluate";
import { ALL_PACKS } from "./packs";

export interface ComplianceHandle {
  /** Every finding of every pack, filled when the app synthesizes. */
  findings(): Finding[];
}

/** Adds every rule pack to `stacks`. Call before `app.synth()`. */
export function applyCompliance(stacks: readonly TerraformStack[], suppressions: readonly Suppression[]): ComplianceHandle {
  const views = new StackViews();
  const aspects = ALL_PACKS.map((pack) => new RulePackAspect(pack, suppressions, views));
  for (const stack of stacks) for (const aspect of aspects) Aspects.of(stack).add(aspect);
  return { findings: () => aspects.flatMap((a) => a.findings) };
}
