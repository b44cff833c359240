import { heading, paragraph, table, type Block } from "../../document/document";
import type { SectionProvider } from "./build";

/**
 * "What does this apply leave out?": what the config marks as waiting for input someone must provide (a database
 * connection whose CA is `pending`), the field to set, and what is left out with it. Read from the platform
 * manifest synth writes beside the stacks.
 */
export const pendingSection: SectionProvider = (env) => {
  const pending = env.pending ?? [];
  const blocks: Block[] = [heading(3, "Pending")];
  if (pending.length === 0) {
    blocks.push(paragraph("Nothing: every configured connection and role is in the stacks."));
    return blocks;
  }
  blocks.push(
    paragraph(
      `${pending.length} item(s) are not in this environment's stacks and will not be applied until their field is set; ` +
        "the tenants that use them cannot get those credentials until then.",
    ),
    table(["waiting", "set", "to", "left out with it"], pending.map((p) => [p.item, `\`${p.field}\``, p.awaiting, p.leftOut.join(", ") || "-"])),
  );
  return blocks;
};
