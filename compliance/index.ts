/**
 * Wires compliance into an app: one Aspect per rule pack on every stack, with the HCL the rules read parsed
 * beforehand (the parser is asynchronous, aspects are not).
 */
import { Aspects, type TerraformStack } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { RulePackAspect, StackViews } from "./aspect";
import type { Finding, Suppression } from "./evaluate";
import { primeHcl } from "../config/hcl";
import { ALL_PACKS } from "./packs";
import { helmValues } from "../synthesized/stack-view";

export interface ComplianceHandle {
  /** Every finding of every pack, filled when the app synthesizes. */
  findings(): Finding[];
}

/**
 * The HCL 2 texts the rules will read (Vault server configs in Helm values; policies are HCL 1, parsed synchronously
 * by config/hcl1.ts), taken from the attributes that hold them without
 * resolving whole stacks. `preparing` resolution wires cross-stack references as synth will, so the texts are
 * exactly those the aspects see.
 */
function hclTextsBeforeSynth(stack: TerraformStack): string[] {
  const texts: string[] = [];
  for (const node of stack.node.findAll()) {
    const element = node as { terraformResourceType?: string; valuesInput?: string[] };
    if (element.terraformResourceType === "helm_release" && element.valuesInput) {
      const values = resolve(stack, element.valuesInput, true);
      const config = helmValues({ type: "helm_release", name: node.node.id, address: node.node.path, attributes: { values } }).server?.ha?.raft?.config;
      if (typeof config === "string") texts.push(config);
    }
  }
  return texts;
}

/** Adds every rule pack to `stacks` and primes the HCL their rules will read. Call before `app.synth()`. */
export async function applyCompliance(stacks: readonly TerraformStack[], suppressions: readonly Suppression[]): Promise<ComplianceHandle> {
  const views = new StackViews();
  const aspects = ALL_PACKS.map((pack) => new RulePackAspect(pack, suppressions, views));
  await primeHcl(stacks.flatMap(hclTextsBeforeSynth));
  for (const stack of stacks) for (const aspect of aspects) Aspects.of(stack).add(aspect);
  return { findings: () => aspects.flatMap((a) => a.findings) };
}
