/** The rule packs' view of a stack is the synthesized stack: shared with the synthesizer only when nothing else can change it. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Aspects, TerraformOutput, TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { applyCompliance } from "../../compliance";

/** An aspect that changes a construct after the rule packs have visited its stack (aspects visit parents first). */
class Retag implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof TerraformOutput) node.addOverride("value", "after");
  }
}

/** Synthesizes one stack; returns what was written and how often the stack was resolved in full. */
async function synthesize(extraAspect: boolean): Promise<{ written: any; resolutions: number }> {
  const outdir = mkdtempSync(join(tmpdir(), "vault-platform-aspect-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "one");
  new TerraformOutput(stack, "label", { value: "before" });
  await applyCompliance([stack], []);
  if (extraAspect) Aspects.of(stack).add(new Retag());
  const toTerraform = jest.spyOn(TerraformStack.prototype, "toTerraform");
  try {
    app.synth();
    return { written: JSON.parse(readFileSync(join(outdir, "stacks", "one", "cdk.tf.json"), "utf8")), resolutions: toTerraform.mock.calls.length };
  } finally {
    toTerraform.mockRestore();
  }
}

describe("rule pack aspects", () => {
  it("write the stack the rule packs evaluated when they are the only aspects", async () => {
    const { written, resolutions } = await synthesize(false);
    expect(written.output.label.value).toBe("before");
    expect(resolutions).toBe(1);
  });

  it("write a later aspect's changes: the synthesizer resolves the stack again when another aspect is present", async () => {
    const { written, resolutions } = await synthesize(true);
    expect(written.output.label.value).toBe("after");
    expect(resolutions).toBe(2);
  });
});
