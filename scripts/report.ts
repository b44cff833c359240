/**
 * `npm run report [cdktf.out]`: writes compliance-report.md and a self-contained compliance-report.html into the
 * synthesized output directory, from the synthesized stacks alone.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { primeHcl } from "../config/hcl";
import { environmentReport } from "../compliance/report/build";
import { heading, paragraph, toHtml, toMarkdown, type Block } from "../document/document";
import { readSynthesized } from "../synthesized/manifest";
import { REPORT_SECTIONS } from "../compliance/report/sections";
import { hclTextsOf } from "../synthesized/stack-view";

async function main(outdir: string): Promise<void> {
  const environments = readSynthesized(outdir);
  await primeHcl(environments.flatMap((e) => e.stacks.flatMap(hclTextsOf)));
  const blocks: Block[] = [
    heading(1, "vault-platform compliance report"),
    paragraph(
      `Generated from the synthesized stacks in \`${outdir}\` for ${environments.map((e) => `\`${e.environment}\``).join(", ")}. ` +
        "Every statement names the Terraform resource address it was read from.",
    ),
    ...environments.flatMap((env) => environmentReport(env, REPORT_SECTIONS)),
  ];
  writeFileSync(join(outdir, "compliance-report.md"), toMarkdown(blocks));
  writeFileSync(join(outdir, "compliance-report.html"), toHtml("vault-platform compliance report", blocks));
  process.stdout.write(`wrote ${join(outdir, "compliance-report.md")} and compliance-report.html\n`);
}

main(process.argv[2] ?? "cdktf.out").catch((e: unknown) => {
  process.stderr.write(`report: ${(e as Error).message}\n`);
  process.exit(1);
});
