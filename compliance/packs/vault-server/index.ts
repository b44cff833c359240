import type { RulePack } from "../../rule";

/** Vault server rules. One rule per file in this directory; list each here. */
export const vaultServerPack: RulePack = {
  name: "Vault server",
  rules: [],
};
