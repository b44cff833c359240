import type { SectionProvider } from "./build";

/** Sections other analyses add to each environment's report (the access matrix joins here). */
export const REPORT_SECTIONS: readonly SectionProvider[] = [];
