/** `npm run rules`: regenerates the compliance rule table in README.md from the rule definitions. */
import { readFileSync, writeFileSync } from "node:fs";
import { withRuleTable } from "../compliance/rule-table";

writeFileSync("README.md", withRuleTable(readFileSync("README.md", "utf8")));
process.stdout.write("updated the rule table in README.md\n");
