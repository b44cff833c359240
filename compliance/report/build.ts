/**
 * Builds the compliance report from synthesized stacks: what a reviewer signs off without reading TypeScript. The
 * summary first (commit, time, rule outcomes by severity per environment), then one section per environment. Every
 * statement carries the resource address it was read from.
 */
import type { PendingItem } from "../../config/pending";
import type { Destruction } from "../../config/schema";
import { evaluateStack, type Finding, type Suppression } from "../evaluate";
import { ALL_PACKS } from "../packs";
import type { Provenance } from "../../synthesized/provenance";
import type { StackView } from "../../synthesized/stack-view";
import { code, heading, link, paragraph, slug, type Block } from "../../document/document";
import { backups } from "./backups";
import { keyAccess } from "./key-access";
import { pendingSection } from "./pending";
import { ruleCatalogue, ruleSections } from "./rules";
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
}

/** Extra sections contributed by other analyses (the access graph and matrix), appended per environment. */
export type SectionProvider = (env: EnvironmentInput) => Block[];

export interface ReportOptions {
  /** Findings of this environment, when the caller has evaluated them already. @default - evaluated here */
  readonly findings?: readonly Finding[];
  /** The report's time, for expiry countdowns. @default - now */
  readonly now?: Date;
  /**
   * Policy texts printed by earlier environments' sections, which this one links instead of repeating.
   * @default - none (every text printed)
   */
  readonly shownPolicies?: Map<string, { env: string; id: string }>;
}

/**
 * Every policy's text. A text already printed for an earlier environment is linked instead of repeated (the same
 * policy file usually synthesizes to the same text everywhere); `shown` records what was printed where.
 */
function policies(env: { readonly environment: string; readonly stacks: readonly StackView[] }, shown: Map<string, { env: string; id: string }>): Block[] {
  const blocks: Block[] = [heading(3, "Policies")];
  for (const s of env.stacks) {
    for (const p of s.of("vault_policy")) {
      const name = String(p.attributes.name);
      const text = String(p.attributes.policy);
      const id = `${slug(env.environment)}--policy-${slug(name)}`;
      const earlier = shown.get(`${name}\0${text}`);
      if (earlier) {
        blocks.push(heading(4, name, id), paragraph(`${s.id} \`${p.address}\`: the same text as in ${link(earlier.env, earlier.id)}.`));
      } else {
        shown.set(`${name}\0${text}`, { env: env.environment, id });
        blocks.push(heading(4, name, id), paragraph(`${s.id} \`${p.address}\``), code("hcl", text));
      }
    }
  }
  return blocks;
}

/** One environment's section: rules, suppressions, evidence, backups, key access, audit, TLS, extra sections, policies. */
export function environmentReport(env: EnvironmentInput, extra: readonly SectionProvider[] = [], options: ReportOptions = {}): Block[] {
  const findings = options.findings ?? env.stacks.flatMap((s) => evaluateStack(s, ALL_PACKS, env.suppressions));
  return [
    heading(2, `Environment ${env.environment}`, slug(env.environment)),
    paragraph(`Stacks ${env.stacks.map((s) => `\`${s.id}\``).join(", ")}.`),
    ...pendingSection(env),
    ...ruleSections(env.environment, ALL_PACKS, findings, options.now ?? new Date()),
    ...backups(env),
    ...keyAccess(env),
    ...audit(env),
    ...tls(env),
    ...extra.flatMap((provide) => provide(env)),
    ...policies(env, options.shownPolicies ?? new Map()),
  ];
}

/** The whole report: title, where it came from, the summary, then every environment. */
export function complianceReport(
  environments: readonly (EnvironmentInput & { readonly findings?: readonly Finding[] })[],
  extra: readonly SectionProvider[],
  provenance: Provenance | undefined,
  now: Date = new Date(),
): Block[] {
  const shownPolicies = new Map<string, { env: string; id: string }>();
  const evaluated = environments.map((env) => ({ env, findings: env.findings ?? env.stacks.flatMap((s) => evaluateStack(s, ALL_PACKS, env.suppressions)) }));
  return [
    heading(1, "vault-platform compliance report"),
    paragraph(
      `Environments ${environments.map((e) => `\`${e.environment}\``).join(", ")}, read from the synthesized stacks alone: ` +
        "every statement names the Terraform resource address it was read from.",
    ),
    ...summarySection(ALL_PACKS, evaluated.map(({ env, findings }) => ({ environment: env.environment, stacks: env.stacks, findings })), provenance, now),
    ...evaluated.flatMap(({ env, findings }) => environmentReport(env, extra, { findings, now, shownPolicies })),
    ...ruleCatalogue(ALL_PACKS),
  ];
}
