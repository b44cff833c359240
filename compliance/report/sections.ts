import { accessMatrix } from "../../access/matrix";
import { accessModel } from "../../access/model";
import type { SectionProvider } from "./build";

/**
 * "Who can do what" per environment: every auth role × every path its environment's policies name, and the same
 * by path, from the synthesized roles and policies (the report primes their HCL before building sections).
 */
export const whoCanDoWhat: SectionProvider = (env) => accessMatrix(accessModel(env));

/** Sections other analyses add to each environment's report. */
export const REPORT_SECTIONS: readonly SectionProvider[] = [whoCanDoWhat];
