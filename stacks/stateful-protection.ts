import { TerraformResource, type TerraformStack } from "cdktf";
import type { Destruction } from "../config/schema";
import { isStatefulType } from "../config/stateful";

/**
 * What aws-cdk's `RemovalPolicy.RETAIN` is to its stateful resources, by Terraform resource type, so a stateful
 * resource is protected whichever construct creates it (config/stateful.ts lists the types):
 * - `lifecycle.prevent_destroy = true`, unless the environment's `compliance.destructions` names its address;
 * - no two stateful resources of a stack share an address (pinned names are chosen by hand);
 * - a resource whose address was pinned (constructs/stable-address.ts) gets a `moved` block from the address
 *   cdktf derives from its construct path, which is the address it had before addresses were pinned, so state
 *   made by that earlier version moves instead of being destroyed and created. Terraform ignores a `moved` block
 *   whose source is not in the state.
 *
 * Call it last in a stack's constructor, once every resource exists. It is not an Aspect on purpose: with the
 * rule packs as the only aspects, synth reuses their resolution of the stack (compliance/aspect.ts). A stateful
 * resource added after it ran has no prevent_destroy, and rule DAT-LIFE-001 fails synth.
 */
export function protectStatefulResources(stack: TerraformStack, destructions: readonly Destruction[]): void {
  const destroy = new Set(destructions.map((d) => d.resource));
  const addresses = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(c) || !isStatefulType(c.terraformResourceType)) continue;
    const address = `${c.terraformResourceType}.${c.friendlyUniqueId}`;
    const other = addresses.get(address);
    if (other) throw new Error(`${stack.node.id}: ${c.node.path} and ${other} are both ${address}; pinned addresses must differ`);
    addresses.set(address, c.node.path);
    c.lifecycle = { ...c.lifecycle, preventDestroy: !destroy.has(address) };
    const derived = stack.getLogicalId(c);
    if (derived !== c.friendlyUniqueId && !c.hasResourceMove()) c.moveFromId(`${c.terraformResourceType}.${derived}`);
  }
}
