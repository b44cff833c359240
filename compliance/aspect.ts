/**
 * One Aspect per rule pack (cdk-nag style). It evaluates the pack over each stack's synthesized form when
 * cdktf invokes aspects at synth, and turns every unsuppressed violation into an error annotation, which makes
 * `app.synth()` (and `cdktf synth`) fail before the stack is written.
 */
import { Annotations, Aspects, TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { evaluateStack, formatViolation, type Finding, type Suppression } from "./evaluate";
import type { RulePack } from "./rule";
import { StackView } from "../synthesized/stack-view";

/**
 * The synthesized form of each stack, computed once when the first pack visits it and shared by the others
 * (resolving a stack is the most expensive step of synth).
 */
export class StackViews {
  private readonly views = new WeakMap<TerraformStack, StackView>();

  of(stack: TerraformStack): StackView {
    let view = this.views.get(stack);
    if (!view) {
      const resolved = stack.toTerraform();
      view = new StackView(stack.node.id, resolved);
      this.views.set(stack, view);
      handToSynthesizer(stack, resolved);
    }
    return view;
  }
}

/**
 * cdktf resolves each stack once more right after its aspects, to write it. When the rule packs are the only
 * aspects on and above the stack, nothing can change in between (they add annotations, which are not part of the
 * output), so the synthesizer's next `toTerraform()` returns this resolution instead of computing it again. Any
 * other aspect (one that tags resources, say) may change the stack after the packs ran: then cdktf resolves again.
 */
function handToSynthesizer(stack: TerraformStack, resolved: ReturnType<TerraformStack["toTerraform"]>): void {
  const onlyRulePacks = [...stack.node.scopes, ...stack.node.findAll()].every((c) =>
    Aspects.of(c).all.every((a) => a instanceof RulePackAspect),
  );
  if (!onlyRulePacks) return;
  const resolveAgain = stack.toTerraform.bind(stack);
  stack.toTerraform = () => {
    stack.toTerraform = resolveAgain;
    return resolved;
  };
}

export class RulePackAspect implements IAspect {
  /** Every finding of this pack, suppressed or not, for callers that report them. */
  public readonly findings: Finding[] = [];

  constructor(
    private readonly pack: RulePack,
    private readonly suppressions: readonly Suppression[],
    private readonly views: StackViews = new StackViews(),
  ) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const view = this.views.of(node);
    for (const finding of evaluateStack(view, [this.pack], this.suppressions)) {
      this.findings.push(finding);
      if (finding.outcome.status !== "non-compliant") continue;
      if (finding.suppression) {
        Annotations.of(node).addInfo(`[${finding.rule.id}] ${finding.address} suppressed: ${finding.suppression.reason}`);
      } else {
        Annotations.of(node).addError(formatViolation(finding));
      }
    }
  }
}
