/**
 * Wires compliance into an app: one Aspect per rule pack on every stack, with the HCL the rules read parsed
 * beforehand (the parser is asynchronous, aspects are not).
 */
import { Aspects, type TerraformStack } from "cdktf";
import { RulePackAspect, StackViews } from "./aspect";
import type { Finding, Suppression } from "./evaluate";
import { primeHcl } from "./hcl-cache";
import { ALL_PACKS } from "./packs";
import { hclTextsOf, StackView } from "./stack-view";

export interface ComplianceHandle {
  /** Every finding of every pack, filled when the app synthesizes. */
  findings(): Finding[];
}

/** Adds every rule pack to `stacks` and primes the HCL their rules will read. Call before `app.synth()`. */
export async function applyCompliance(stacks: readonly TerraformStack[], suppressions: readonly Suppression[]): Promise<ComplianceHandle> {
  const views = new StackViews();
  const aspects = ALL_PACKS.map((pack) => new RulePackAspect(pack, suppressions, views));
  // Wire cross-stack references now (app.synth() would do it later, idempotently), so the texts primed here are
  // the texts the aspects will see.
  for (const stack of stacks) stack.prepareStack();
  await primeHcl(stacks.flatMap((s) => hclTextsOf(new StackView(s.node.id, s.toTerraform()))));
  for (const stack of stacks) for (const aspect of aspects) Aspects.of(stack).add(aspect);
  return { findings: () => aspects.flatMap((a) => a.findings) };
}
