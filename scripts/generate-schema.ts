/** Regenerates config/environment.schema.json from the zod schema: `npm run schema`. */
import { writeFileSync } from "node:fs";
import { renderJsonSchema } from "../config/json-schema";

writeFileSync("config/environment.schema.json", renderJsonSchema());
process.stdout.write("wrote config/environment.schema.json\n");
