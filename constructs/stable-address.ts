import type { TerraformResource } from "cdktf";

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Gives a stateful resource the Terraform address `<type>.<parts joined by "_">`, fixed instead of derived from
 * the construct path (which changes with every refactor) or from a renameable config value: callers pass a
 * construct id chosen by the stack and the config entry's stable `id`. A changed address is a destroy and a
 * create, so these names are a contract pinned by test/stacks/stateful-addresses.test.ts and the committed
 * stateful lock (config/<env>.stateful.json). Call it right after creating the resource, before any reference.
 */
export function pinAddress<T extends TerraformResource>(resource: T, ...parts: string[]): T {
  const name = parts.join("_");
  if (!NAME.test(name)) throw new Error(`${resource.node.path}: cannot pin the address ${resource.terraformResourceType}.${name}: not a Terraform name`);
  resource.overrideLogicalId(name);
  return resource;
}
