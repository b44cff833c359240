/**
 * The tenant view: per application, the paths it owns and every identity that can read or write them, directly
 * (with the granting policies) or by escalation, and one small drawing of it. Replaces the per-path walls of tables:
 * a reviewer asks "who can read this tenant's secrets", not "who can read this path".
 */
import { BREAK_GLASS_NOTE } from "../../access/escalation";
import { accessModel, type AccessModel } from "../../access/model";
import { tenantDrawingSvg } from "../../access/tenant-drawing";
import { type TenantAccess, tenantAccess } from "../../access/tenants";
import { figure, heading, paragraph, slug, table, type Block } from "../../document/document";
import type { Tenant } from "../../synthesized/manifest";
import type { StackView } from "../../synthesized/stack-view";

const tick = (s: string) => `\`${s}\``;

export interface TenantEnvironment {
  readonly environment: string;
  readonly stacks: readonly StackView[];
  /** @default - no tenant (an output of an older synth) */
  readonly tenants?: readonly Tenant[];
}

/** The access to every tenant of one environment (with its model, computed once). */
export function tenantsOf(env: TenantEnvironment, model: AccessModel = accessModel(env)): TenantAccess[] {
  return tenantAccess(model, env.tenants ?? []);
}

/** `all 5` or the prefixes themselves. */
function prefixes(list: readonly string[], of: readonly string[]): string {
  if (list.length === 0) return "-";
  return list.length === of.length && of.length > 1 ? `all ${of.length}` : list.map(tick).join(", ");
}

/** One tenant: owned paths, who reaches them and how, and its drawing. */
export function tenantBlocks(access: TenantAccess): Block[] {
  const { tenant, environment } = access;
  const owned = tenant.ownedPaths;
  const rows = access.direct.map((g) => [
    `${tick(g.role.key)}${g.own ? " (its own login)" : ""}`,
    prefixes(g.reads, owned),
    prefixes(g.writes, owned),
    g.policies.join(", "),
  ]);
  rows.push(
    ...access.escalation.map((e) => [
      tick(e.role.key),
      "any, by escalation",
      "any, by escalation",
      `can change ${[...new Set(e.grants.map((g) => g.area))].slice(0, 3).join(", ")} (${[...new Set(e.grants.flatMap((g) => g.policies))].join(", ")})`,
    ]),
  );
  return [
    heading(3, `${tenant.name} (${environment})`, `tenant-${slug(environment)}-${slug(tenant.name)}`),
    paragraph(
      `Logs in as ${access.role ? tick(access.role.key) : `**${tenant.role} (${tenant.method}): not in the synthesized output**`}; owns ` +
        `${owned.length === 0 ? "no path" : owned.map(tick).join(", ")}.`,
    ),
    table(["identity", "reads under", "writes under", "granted by"], rows),
    figure(tenantDrawingSvg(access), `Who reaches ${tenant.name}'s paths in ${environment}; hover a line for the granting policies.`),
  ];
}

/** The tenant view of one environment, under a level-2 heading. */
export function tenantSection(env: TenantEnvironment, model?: AccessModel): Block[] {
  const all = tenantsOf(env, model);
  return [
    heading(2, `Tenants: who can read or write each application's paths (${env.environment})`, `tenants-${slug(env.environment)}`),
    paragraph(
      "Each application's owned path prefixes (its config's `ownedPaths`), probed on every path a synthesized policy " +
        "names under them and on a new name only a glob reaches, by the ACL evaluator for every auth role; Vault's " +
        `default policy is included. ${BREAK_GLASS_NOTE}`,
    ),
    ...(all.length === 0 ? [paragraph("No application is onboarded in this environment.")] : all.flatMap(tenantBlocks)),
  ];
}
