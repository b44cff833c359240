import type { RulePack } from "../../rule";

/** AWS rules. One rule per file in this directory; list each here. */
export const awsPack: RulePack = {
  name: "AWS",
  rules: [],
};
