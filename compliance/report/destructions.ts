import { isStatefulType } from "../../config/stateful";
import { heading, paragraph, table, type Block } from "../../document/document";
import type { SectionProvider } from "./build";

/**
 * "What may this deploy destroy?": the environment's deliberate destructions (`compliance.destructions`, each
 * with its reason, owner and expiry), and how many stateful resources keep `prevent_destroy`.
 */
export const deliberateDestructions: SectionProvider = (env) => {
  const destructions = env.destructions ?? [];
  const stateful = env.stacks.flatMap((s) => s.all().filter((b) => isStatefulType(b.type)));
  const protectedCount = stateful.filter((b) => b.attributes.lifecycle?.prevent_destroy === true).length;
  const blocks: Block[] = [
    heading(3, "Deliberate destructions"),
    paragraph(
      `${protectedCount} of ${stateful.length} stateful resources (secrets engines, PKI root, transit keys, database connections, ` +
        "auth mounts, KMS keys, buckets, the namespace) synthesize with `lifecycle.prevent_destroy = true`; the plan gate refuses " +
        "any plan that destroys or replaces one not listed here.",
    ),
  ];
  blocks.push(
    destructions.length === 0
      ? paragraph("None: no stateful resource may be destroyed in this environment.")
      : table(["resource", "reason", "owner", "expires"], destructions.map((d) => [`\`${d.resource}\``, d.reason, d.owner, d.expires])),
  );
  return blocks;
};
