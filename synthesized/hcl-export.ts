/**
 * `cdktf synth --hcl` (the one-time export out of cdktf) writes the terraform block's plain attributes wrongly:
 * cdktf 0.21.0's renderTerraform (lib/hcl/render.js) hands renderSimpleAttributes the attribute *names* as an array,
 * so `required_version = ">= 1.11.0"` comes out as `0 = "required_version"`, which Terraform cannot parse. The JSON
 * synth is right; this puts each attribute back, with its value from the stack's terraform block.
 */
import { readFileSync, writeFileSync } from "node:fs";

/** The block keys renderTerraform writes itself. */
const BLOCKS = new Set(["required_providers", "backend", "cloud"]);

export function repairTerraformBlock(hcl: string, terraformBlock: Record<string, unknown>): string {
  const attributes = Object.keys(terraformBlock).filter((k) => !BLOCKS.has(k));
  return hcl.replace(/^( *)(\d+) = "([A-Za-z0-9_]+)"$/gm, (line, indent: string, index: string, name: string) =>
    attributes[Number(index)] === name ? `${indent}${name} = ${JSON.stringify(terraformBlock[name])}` : line,
  );
}

/** Repairs one exported stack file in place. */
export function repairHclFile(file: string, terraformBlock: Record<string, unknown>): void {
  writeFileSync(file, repairTerraformBlock(readFileSync(file, "utf8"), terraformBlock));
}
