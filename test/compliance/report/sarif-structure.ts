/**
 * The parts of the SARIF 2.1.0 structure (OASIS SARIF 2.1.0, sarif-schema-2.1.0.json) that the export uses, checked
 * field by field: required properties, enumerations, and the consistency rules code scanning relies on (ruleIndex
 * points at the rule named by ruleId, rule ids are unique, regions start at line 1 or later). Returns every problem.
 */
type Json = any;

const LEVELS = ["none", "note", "warning", "error"];
const KINDS = ["notApplicable", "pass", "fail", "review", "open", "informational"];
const SUPPRESSION_KINDS = ["inSource", "external"];
const SUPPRESSION_STATUSES = ["accepted", "underReview", "rejected"];

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

export function sarifProblems(log: Json): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, where: string, what: string) => {
    if (!ok) problems.push(`${where}: ${what}`);
  };
  const oneOf = (value: unknown, allowed: string[], where: string, optional = true) => {
    if (optional && value === undefined) return;
    need(allowed.includes(value as string), where, `must be one of ${allowed.join(", ")} (got ${String(value)})`);
  };
  const message = (m: unknown, where: string) => need(isObject(m) && (typeof m.text === "string" || typeof m.id === "string"), where, "required, with text or id");
  const multiformat = (m: unknown, where: string) => {
    if (m !== undefined) need(isObject(m) && typeof m.text === "string", where, "text is required");
  };

  need(log?.version === "2.1.0", "version", `must be "2.1.0" (got ${String(log?.version)})`);
  if (log?.$schema !== undefined) need(typeof log.$schema === "string" && /^https?:\/\//.test(log.$schema), "$schema", "must be a URI");
  need(Array.isArray(log?.runs), "runs", "required array");
  (Array.isArray(log?.runs) ? log.runs : []).forEach((run: Json, r: number) => {
    const at = `runs[${r}]`;
    need(isObject(run?.tool), `${at}.tool`, "required object");
    const driver = run?.tool?.driver;
    need(isObject(driver), `${at}.tool.driver`, "required object");
    need(typeof driver?.name === "string" && driver.name !== "", `${at}.tool.driver.name`, "required string");
    const rules: Json[] = Array.isArray(driver?.rules) ? driver.rules : [];
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      const where = `${at}.tool.driver.rules[${i}]`;
      need(typeof rule?.id === "string", `${where}.id`, "required string");
      need(!ids.has(rule?.id), `${where}.id`, `duplicate rule id ${rule?.id}`);
      ids.add(rule?.id);
      multiformat(rule?.shortDescription, `${where}.shortDescription`);
      multiformat(rule?.fullDescription, `${where}.fullDescription`);
      multiformat(rule?.help, `${where}.help`);
      oneOf(rule?.defaultConfiguration?.level, LEVELS, `${where}.defaultConfiguration.level`);
      const sev = rule?.properties?.["security-severity"];
      if (sev !== undefined) need(typeof sev === "string" && Number(sev) >= 0 && Number(sev) <= 10, `${where}.properties.security-severity`, "a number from 0 to 10, as a string");
    });
    if (run?.results !== undefined) need(Array.isArray(run.results), `${at}.results`, "must be an array");
    (Array.isArray(run?.results) ? run.results : []).forEach((result: Json, i: number) => {
      const where = `${at}.results[${i}]`;
      message(result?.message, `${where}.message`);
      need(result?.ruleId === undefined || typeof result.ruleId === "string", `${where}.ruleId`, "must be a string");
      if (result?.ruleIndex !== undefined) {
        need(rules[result.ruleIndex]?.id === result.ruleId, `${where}.ruleIndex`, `${result.ruleIndex} does not point at rule ${result.ruleId}`);
      } else {
        need(ids.has(result?.ruleId), `${where}.ruleId`, `${result?.ruleId} is not in tool.driver.rules`);
      }
      oneOf(result?.level, LEVELS, `${where}.level`);
      oneOf(result?.kind, KINDS, `${where}.kind`);
      (Array.isArray(result?.locations) ? result.locations : []).forEach((loc: Json, l: number) => {
        const lw = `${where}.locations[${l}]`;
        if (loc?.physicalLocation !== undefined) {
          const uri = loc.physicalLocation.artifactLocation?.uri;
          need(typeof uri === "string" && uri !== "" && !uri.includes("\\"), `${lw}.physicalLocation.artifactLocation.uri`, "required relative URI with forward slashes");
          const line = loc.physicalLocation.region?.startLine;
          if (loc.physicalLocation.region !== undefined) need(Number.isInteger(line) && line >= 1, `${lw}.physicalLocation.region.startLine`, "integer >= 1");
        }
        (Array.isArray(loc?.logicalLocations) ? loc.logicalLocations : []).forEach((ll: Json, k: number) =>
          need(typeof ll?.name === "string" || typeof ll?.fullyQualifiedName === "string", `${lw}.logicalLocations[${k}]`, "needs name or fullyQualifiedName"),
        );
      });
      (Array.isArray(result?.suppressions) ? result.suppressions : []).forEach((s: Json, k: number) => {
        oneOf(s?.kind, SUPPRESSION_KINDS, `${where}.suppressions[${k}].kind`, false);
        oneOf(s?.status, SUPPRESSION_STATUSES, `${where}.suppressions[${k}].status`);
        if (s?.justification !== undefined) need(typeof s.justification === "string", `${where}.suppressions[${k}].justification`, "must be a string");
      });
    });
  });
  return problems;
}
