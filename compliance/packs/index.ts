import type { RulePack } from "../rule";
import { awsPack } from "./aws";
import { dataSafetyPack } from "./data-safety";
import { kubernetesPack } from "./kubernetes";
import { vaultConfigPack } from "./vault-config";
import { vaultServerPack } from "./vault-server";

/** Every rule pack, in report order. */
export const ALL_PACKS: readonly RulePack[] = [vaultServerPack, vaultConfigPack, awsPack, kubernetesPack, dataSafetyPack];

/** Every rule id, for validating suppressions in config. */
export const RULE_IDS: ReadonlySet<string> = new Set(ALL_PACKS.flatMap((p) => p.rules.map((r) => r.id)));
