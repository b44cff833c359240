import type { RulePack } from "../../rule";

/** Vault configuration rules. One rule per file in this directory; list each here. */
export const vaultConfigPack: RulePack = {
  name: "Vault configuration",
  rules: [],
};
