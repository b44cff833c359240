import { z } from "zod";
import { environmentConfigSchema } from "./schema";

/** The JSON Schema editors use for `config/*.yaml`, generated from the zod schema (the source of truth). */
export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(environmentConfigSchema, { io: "input", target: "draft-7" });
  return `${JSON.stringify({ title: "vault-platform environment configuration", ...schema }, null, 2)}\n`;
}
