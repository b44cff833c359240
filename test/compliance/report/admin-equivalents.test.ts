/**
 * The report's summary names the identities equivalent to an administrator and what protects each (#21 point 4),
 * built from synthesized stacks as `npm run report` builds it. Expectations come from the config.
 */
import { Testing } from "cdktf";
import { complianceReport } from "../../../compliance/report/build";
import { toMarkdown } from "../../../document/document";
import { REPORT_SECTIONS } from "../../../compliance/report/sections";
import { StackView } from "../../../synthesized/stack-view";
import { addEnvironment } from "../../../stacks/environment";
import { configFor, defaultPolicies, synthJson } from "../../helpers";

describe.each(["dev", "prod"] as const)("%s report", (name) => {
  const config = configFor(name);
  let md: string;
  beforeAll(async () => {
    const stacks = Object.values(addEnvironment(Testing.app(), config, await defaultPolicies())).map((s) => new StackView(s.node.id, synthJson(s)));
    md = toMarkdown(complianceReport([{ environment: name, stacks, suppressions: config.compliance.suppressions }], REPORT_SECTIONS, undefined, new Date("2026-11-26T12:00:00Z")));
  }, 60_000);

  it("lists the administrator-equivalent identities in the summary, before any environment section, with their protection", () => {
    const start = md.indexOf("### Equivalent to administrator");
    expect(start).toBeGreaterThan(md.indexOf("## Summary"));
    expect(start).toBeLessThan(md.indexOf(`## Environment ${name}`));
    const block = md.slice(start, md.indexOf("\n#", start + 1));
    const rows = block.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---") && !l.startsWith("| in |"));
    const ci = rows.find((r) => r.includes("`jwt/terraform-ci`"));
    const env = (config.platform.find((p) => p.name === "terraform-ci")!.auth as { boundClaims: Record<string, string> }).boundClaims.environment;
    expect(ci).toContain(`GitHub environment \`${env}\``);
    const admin = config.platform.find((p) => p.auth.method === "oidc")!;
    expect(rows.find((r) => r.includes(`\`oidc/${admin.auth.role}\``))).toContain((admin.auth as { groups: string[] }).groups[0]);
    for (const a of config.applications) expect(rows.some((r) => r.includes(`/${a.auth.role}\``))).toBe(false);
    expect(block).toMatch(/break-glass/);
  });
});
