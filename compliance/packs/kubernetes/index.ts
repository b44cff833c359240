import type { RulePack } from "../../rule";

/** Kubernetes rules. One rule per file in this directory; list each here. */
export const kubernetesPack: RulePack = {
  name: "Kubernetes",
  rules: [],
};
