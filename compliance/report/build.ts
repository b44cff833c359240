/**
 * Builds the compliance report from synthesized stacks: what a reviewer signs off without reading TypeScript. The
 * summary first (the first screen's answers, rule outcomes by severity per environment), the tenant view, the
 * reference environment (prod) in full, the others as their differences from it. Every statement carries the
 * resource address it was read from.
 */
import type { PendingItem } from "../../config/pending";
import type { Destruction } from "../../config/schema";
import { evaluateStack, type Finding, type Suppression } from "../evaluate";
import { ALL_PACKS } from "../packs";
import type { Provenance } from "../../synthesized/provenance";
import type { StackView } from "../../synthesized/stack-view";
import { heading, paragraph, slug, table, type Block } from "../../document/document";
import { accessModel } from "../../access/model";
import type { Tenant } from "../../synthesized/manifest";
import { differencesFrom } from "./environment-diff";
import { type BaseOutput, referenceEnvironment } from "./review";
import { tenantBlocks, tenantSection, tenantsOf } from "./tenants";
import { backups } from "./backups";
import { keyAccess } from "./key-access";
import { pendingSection } from "./pending";
import { ruleSections } from "./rules";
import { audit, tls } from "./server";
import { summarySection } from "./summary";

export interface EnvironmentInput {
  readonly environment: string;
  readonly stacks: readonly StackView[];
  readonly suppressions: readonly Suppression[];
  /**
   * Stateful resources the environment lets a plan destroy.
   * @default - none
   */
  readonly destructions?: readonly Destruction[];
  /**
   * What the config leaves out of the apply until it is provided.
   * @default - nothing
   */
  readonly pending?: readonly PendingItem[];
  /**
   * The applications onboarded (the manifest's tenants).
   * @default - none
   */
  readonly tenants?: readonly Tenant[];
}

/** Extra sections contributed by other analyses (the access graph and matrix), appended per environment. */
export type SectionProvider = (env: EnvironmentInput) => Block[];

export interface ReportOptions {
  /** Findings of this environment, when the caller has evaluated them already. @default - evaluated here */
  readonly findings?: readonly Finding[];
  /** The report's time, for expiry countdowns. @default - now */
  readonly now?: Date;
}

/** Every synthesized policy: where it was read from and which roles carry it (the texts: policies/*.hcl, and the stacks). */
function policies(env: { readonly environment: string; readonly stacks: readonly StackView[] }): Block[] {
  const model = accessModel(env);
  const rows = env.stacks.flatMap((s) =>
    s.of("vault_policy").map((p) => {
      const name = String(p.attributes.name);
      const carriers = model.roles.filter((r) => r.policies.includes(name)).map((r) => `\`${r.key}\``);
      return [`\`${name}\``, `${s.id} \`${p.address}\``, carriers.join(", ") || "no role", String(model.policies.get(name)?.paths.length ?? 0)];
    }),
  );
  return [
    heading(3, "Policies"),
    paragraph("The synthesized ACL policies (their texts are the files under policies/, expanded into each stack); the tenant view shows what they grant."),
    table(["policy", "synthesized as", "carried by", "paths named"], rows),
  ];
}

/** One environment's sections (without its heading): pending, rules, suppressions, evidence, backups, key access, audit, TLS, extra sections, policies. */
function environmentSections(env: EnvironmentInput, extra: readonly SectionProvider[], findings: readonly Finding[], now: Date): Block[] {
  return [
    paragraph(`Stacks ${env.stacks.map((s) => `\`${s.id}\``).join(", ")}.`),
    ...pendingSection(env),
    ...ruleSections(env.environment, ALL_PACKS, findings, now),
    ...backups(env),
    ...keyAccess(env),
    ...audit(env),
    ...tls(env),
    ...extra.flatMap((provide) => provide(env)),
    ...policies(env),
  ];
}

/** One environment's section in full. */
export function environmentReport(env: EnvironmentInput, extra: readonly SectionProvider[] = [], options: ReportOptions = {}): Block[] {
  const findings = options.findings ?? env.stacks.flatMap((s) => evaluateStack(s, ALL_PACKS, env.suppressions));
  return [heading(2, `Environment ${env.environment}`, slug(env.environment)), ...environmentSections(env, extra, findings, options.now ?? new Date())];
}

/**
 * The whole report: title, the summary (the first screen), the reference environment's tenant view and its
 * section in full, then every other environment as its differences from the reference.
 */
export function complianceReport(
  environments: readonly (EnvironmentInput & { readonly findings?: readonly Finding[] })[],
  extra: readonly SectionProvider[],
  provenance: Provenance | undefined,
  now: Date = new Date(),
  base?: BaseOutput,
): Block[] {
  const evaluated = environments.map((env) => ({ ...env, findings: env.findings ?? env.stacks.flatMap((s) => evaluateStack(s, ALL_PACKS, env.suppressions)) }));
  const ref = referenceEnvironment(evaluated);
  const blocks: Block[] = [
    heading(1, "vault-platform compliance report"),
    ...summarySection(ALL_PACKS, evaluated, provenance, now, base),
  ];
  if (!ref) return blocks;
  const refSections = environmentSections(ref, extra, ref.findings, now);
  // The other environments' tenants are compared with the reference's too (the tenant view is shown for it alone).
  const refTenants = tenantsOf(ref).flatMap(tenantBlocks);
  blocks.push(...tenantSection(ref), heading(2, `Environment ${ref.environment}`, slug(ref.environment)), ...refSections);
  for (const env of evaluated.filter((e) => e !== ref)) {
    blocks.push(
      heading(2, `Environment ${env.environment}: differences from ${ref.environment}`, slug(env.environment)),
      ...differencesFrom(env.environment, [...tenantsOf(env).flatMap(tenantBlocks), ...environmentSections(env, extra, env.findings, now)], ref.environment, [...refTenants, ...refSections]),
    );
  }
  return blocks;
}
