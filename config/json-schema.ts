import { z } from "zod";
import { environmentConfigSchema } from "./schema";

type JsonSchema = { [key: string]: unknown };

/** The property every branch of a `oneOf` fixes with a `const`, with each branch's value, or undefined. */
function discriminatorOf(branches: unknown[]): { key: string; values: unknown[] } | undefined {
  const objects = branches as JsonSchema[];
  if (objects.length < 2 || !objects.every((b) => b && b.type === "object" && b.properties)) return undefined;
  const first = objects[0].properties as Record<string, JsonSchema>;
  for (const key of Object.keys(first)) {
    const values = objects.map((b) => (b.properties as Record<string, JsonSchema>)[key]?.const);
    if (values.every((v) => v !== undefined) && new Set(values).size === values.length) return { key, values };
  }
  return undefined;
}

/**
 * A zod discriminated union renders as `oneOf`, so one typo in an AppRole entry fails every branch and an editor
 * shows all of their errors. Rewritten as the discriminator's enum plus one `if <key> is X then <branch X>` per
 * branch (draft-7), the editor checks only the branch the entry names; `discriminator` says the same for OpenAPI
 * tooling.
 */
function withDiscriminators(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withDiscriminators);
  if (node === null || typeof node !== "object") return node;
  const out: JsonSchema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withDiscriminators(v)]));
  const branches = out.oneOf;
  const found = Array.isArray(branches) ? discriminatorOf(branches) : undefined;
  if (!found) return out;
  const { oneOf: _replaced, ...rest } = out;
  void _replaced;
  return {
    ...rest,
    type: "object",
    discriminator: { propertyName: found.key },
    required: [found.key],
    properties: { [found.key]: { enum: found.values } },
    allOf: (branches as JsonSchema[]).map((branch, i) => ({
      if: { properties: { [found.key]: { const: found.values[i] } }, required: [found.key] },
      then: branch,
    })),
  };
}

/** The JSON Schema editors use for `config/*.yaml`, generated from the zod schema (the source of truth). */
export function renderJsonSchema(): string {
  const schema = withDiscriminators(z.toJSONSchema(environmentConfigSchema, { io: "input", target: "draft-7" })) as JsonSchema;
  return `${JSON.stringify({ title: "vault-platform environment configuration", ...schema }, null, 2)}\n`;
}
