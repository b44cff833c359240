import type { RulePack } from "../../rule";
import { preventDestroy } from "./prevent-destroy";

/** Rules that keep data from being destroyed by an apply. One rule per file in this directory; list each here. */
export const dataSafetyPack: RulePack = {
  name: "Data safety",
  rules: [preventDestroy],
};
