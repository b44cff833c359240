import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderJsonSchema } from "../../config/json-schema";

const CONFIG = join(__dirname, "../../config");

describe("config/environment.schema.json", () => {
  it("is the current rendering of the zod schema (run `npm run schema` after changing config/schema.ts)", () => {
    expect(readFileSync(join(CONFIG, "environment.schema.json"), "utf8")).toBe(renderJsonSchema());
  });

  it("rejects unknown keys for editors too", () => {
    const schema = JSON.parse(renderJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.cluster.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["environment", "cluster", "backup", "vault"]));
  });

  it.each(["dev.yaml", "prod.yaml"])("is referenced by %s for the YAML language server", (file) => {
    const firstLine = readFileSync(join(CONFIG, file), "utf8").split("\n")[0];
    expect(firstLine).toBe("# yaml-language-server: $schema=./environment.schema.json");
  });
});
