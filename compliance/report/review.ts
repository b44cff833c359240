/**
 * The report's first screen: what a reviewer signs, answered above the fold (1280x800). A verdict; the commit; what
 * this change does to access (given a base output) and what it may destroy; the accepted suppressions with owner,
 * approver and expiry; the identities equivalent to an administrator; who can read each tenant's secrets; who can
 * decrypt each backup key (a key nobody can decrypt is flagged). The reference environment (prod) is shown in full,
 * the others only where they differ from it.
 */
import { diffEnvironment, type EnvironmentChanges } from "../../access/diff";
import { adminEquivalents } from "../../access/escalation";
import { type AccessModel, accessModel } from "../../access/model";
import { tenantReaders } from "../../access/tenants";
import { isStatefulType } from "../../config/stateful";
import { group, heading, link, paragraph, slug, table, type Block } from "../../document/document";
import type { Finding } from "../evaluate";
import { keyDecryption, NOBODY } from "./key-access";
import { expiryText } from "./rules";
import { tenantsOf, type TenantEnvironment } from "./tenants";
import type { Destruction } from "../../config/schema";
import type { StackView } from "../../synthesized/stack-view";

const tick = (s: string) => `\`${s}\``;

export interface ReviewEnvironment extends TenantEnvironment {
  readonly findings: readonly Finding[];
  /** @default - none */
  readonly destructions?: readonly Destruction[];
}

/** The base of a change (a pull request's base synthesized): environments with their stacks. */
export interface BaseOutput {
  readonly environments: readonly { readonly environment: string; readonly stacks: readonly StackView[] }[];
}

/** The environment shown in full: `prod` when there is one, else the first. */
export function referenceEnvironment<T extends { readonly environment: string }>(envs: readonly T[]): T | undefined {
  return envs.find((e) => e.environment === "prod") ?? envs[0];
}

/** Text with the environment's name made generic, so `vault-prod-server` and `vault-dev-server` compare equal. */
export const generic = (text: string, environment: string): string =>
  text.replace(new RegExp(`(?<![A-Za-z])${environment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z])`, "g"), "<env>");

/** The answers of one environment, computed once. */
interface Answers {
  readonly env: ReviewEnvironment;
  readonly model: AccessModel;
  readonly admins: ReturnType<typeof adminEquivalents>;
  readonly readers: { tenant: string; text: string }[];
  readonly keys: ReturnType<typeof keyDecryption>;
  readonly changes?: EnvironmentChanges;
  /** Stateful resources of the base that the head no longer has (a plan destroys them). */
  readonly removed?: string[];
}

function answersOf(env: ReviewEnvironment, base: BaseOutput | undefined): Answers {
  const model = accessModel(env);
  const readers = tenantsOf(env, model).map((t) => {
    const r = tenantReaders(t);
    return { tenant: t.tenant.name, text: [...r.direct.map(tick), ...(r.escalation.length ? [`by escalation ${r.escalation.map(tick).join(", ")}`] : [])].join(", ") || "nobody" };
  });
  const baseEnv = base?.environments.find((e) => e.environment === env.environment);
  const stateful = (stacks: readonly StackView[]) => stacks.flatMap((s) => s.all().filter((b) => isStatefulType(b.type)).map((b) => `${s.id} ${b.address}`));
  const headStateful = new Set(stateful(env.stacks));
  return {
    env,
    model,
    admins: adminEquivalents(model),
    readers,
    keys: keyDecryption(env),
    ...(base ? { changes: diffEnvironment(baseEnv ? accessModel(baseEnv) : undefined, model), removed: baseEnv ? stateful(baseEnv.stacks).filter((a) => !headStateful.has(a)) : [] } : {}),
  };
}

function changeCount(c: EnvironmentChanges): string {
  const parts = [
    [c.rolesAdded.length, "role(s) added"],
    [c.rolesRemoved.length, "role(s) removed"],
    [c.attachments.length, "policy attachment change(s)"],
    [c.bindings.length, "login binding change(s)"],
    [c.ttls.length, "TTL change(s)"],
    [c.policiesAdded.length + c.policiesRemoved.length, "policies added or removed"],
    [new Set(c.gained.map((g) => g.role)).size, "role(s) gaining capabilities"],
    [new Set(c.lost.map((g) => g.role)).size, "role(s) losing capabilities"],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return said.length === 0 ? "no access change" : `**${said.join(", ")}**`;
}

/** Rows of `rowsOf(reference)`, then for each other environment the rows that differ from the reference's. */
function byReference(all: readonly Answers[], ref: Answers, rowsOf: (a: Answers) => string[][]): string[][] {
  const refRows = rowsOf(ref);
  const refKeys = new Set(refRows.map((r) => generic(r.join("\0"), ref.env.environment)));
  const rows = refRows.map((r) => [ref.env.environment, ...r]);
  for (const a of all) {
    if (a === ref) continue;
    const differing = rowsOf(a).filter((r) => !refKeys.has(generic(r.join("\0"), a.env.environment)));
    rows.push(...(differing.length === 0 ? [[a.env.environment, `same as ${ref.env.environment}`, ...refRows[0]?.slice(1).map(() => "") ?? []]] : differing.map((r) => [a.env.environment, ...r])));
  }
  return rows;
}

/** The verdict: what needs a reviewer's decision, or that nothing does. */
function verdict(all: readonly Answers[], now: Date): string {
  const failed = all.flatMap((a) => a.env.findings.filter((f) => f.outcome.status !== "compliant" && !f.suppression));
  const undecryptable = all.flatMap((a) => a.keys.filter((k) => k.decrypt?.length === 0).map((k) => `${a.env.environment} ${tick(k.title)}`));
  const soon = all.flatMap((a) => a.env.findings.filter((f) => f.suppression && Date.parse(f.suppression.expires) - now.getTime() < 30 * 86_400_000));
  const unapproved = all.flatMap((a) => a.env.findings.filter((f) => f.suppression && !f.suppression.approver));
  const changed = all.filter((a) => a.changes && changeCount(a.changes) !== "no access change").map((a) => a.env.environment);
  const destroys = all.filter((a) => (a.env.destructions ?? []).length + (a.removed ?? []).length > 0).map((a) => a.env.environment);
  const points = [
    failed.length > 0 && `${failed.length} failing check(s)`,
    changed.length > 0 && `access changes in ${changed.join(", ")}`,
    destroys.length > 0 && `destructive changes in ${destroys.join(", ")}`,
    undecryptable.length > 0 && `key(s) nobody can decrypt: ${undecryptable.join(", ")}`,
    unapproved.length > 0 && `${unapproved.length} suppression(s) without an approver`,
    soon.length > 0 && `${soon.length} suppression(s) expiring within 30 days`,
  ].filter(Boolean);
  const status = failed.length > 0 ? "BLOCKED" : points.length > 0 ? "REVIEW" : "PASS";
  return `**Verdict: ${status}.** ${points.length > 0 ? `To decide: ${points.join("; ")}.` : "No failing check, no access change, nothing destroyed."}`;
}

/** The first screen's panels (everything after the commit line). */
export function reviewBlocks(environments: readonly ReviewEnvironment[], now: Date, base?: BaseOutput): Block[] {
  const all = environments.map((e) => answersOf(e, base));
  const ref = referenceEnvironment(all.map((a) => ({ environment: a.env.environment, a })))?.a;
  if (!ref) return [paragraph("**Verdict: nothing to review.** The output holds no environment.")];
  const change = all.map((a) => {
    const access = a.changes ? changeCount(a.changes) : "not computed (no base given: `--base`)";
    const destructions = a.env.destructions ?? [];
    const destroy = [
      ...destructions.map((d) => `${tick(d.resource)} (deliberate, ${d.owner}, until ${d.expires})`),
      ...(a.removed ?? []).map((r) => `**${tick(r)} removed**`),
    ];
    return { env: a.env.environment, text: `access ${access}; destroys ${destroy.length > 0 ? destroy.join(", ") : "nothing"}` };
  });
  // Environments that say the same are named together.
  const changeLines = [...new Set(change.map((c) => c.text))].map((text) => {
    const envs = change.filter((c) => c.text === text).map((c) => link(c.env, slug(c.env)));
    return `**${envs.join(", ")}**: ${text}.`;
  });
  const suppressions = all.flatMap((a) => a.env.findings.filter((f) => f.suppression).map((f) => ({ env: a.env.environment, f })));
  const bySuppression = new Map<string, { envs: string[]; row: string[] }>();
  for (const { env, f } of suppressions) {
    const s = f.suppression!;
    const key = `${f.rule.id}\0${f.address}\0${s.owner}\0${s.approver}\0${s.expires}`;
    const seen = bySuppression.get(key);
    if (seen) seen.envs.push(env);
    else bySuppression.set(key, { envs: [env], row: [f.rule.id, tick(f.address.replace(/_[0-9A-F]{8}$/, ""))] });
    if (!seen) bySuppression.get(key)!.row.push(s.owner, s.approver ?? "**none recorded**", expiryText(s.expires, now).replace(" days left)", " d)"));
  }
  const everywhere = [...bySuppression.values()].every(({ envs }) => envs.length === all.length);
  const adminRows = (a: Answers) => a.admins.map((e) => [tick(e.role.key), e.protection[0] ?? ""]);
  const readerRows = (a: Answers) => a.readers.map((r) => [r.tenant, r.text]);
  const keyRows = (a: Answers) => a.keys.map((k) => [tick(k.title), k.unreadable ?? (k.decrypt!.length > 0 ? k.decrypt!.join(", ") : NOBODY)]);
  return [
    paragraph(verdict(all, now)),
    group(
      "review",
      [
        group("review-change", [heading(3, "This change", "this-change"), ...changeLines.map(paragraph)]),
        group("review-admins", [
          heading(3, "Equivalent to administrator", "equivalent-to-administrator"),
          table(["in", "identity", "login protected by"], byReference(all, ref, adminRows)),
          paragraph("Also the break-glass root token (a recovery-key quorum, docs/runbooks.md section 0)."),
        ]),
        group("review-suppressions", [
          heading(3, `Accepted suppressions${everywhere && bySuppression.size > 0 ? " (alike in every environment)" : ""}`, "accepted-suppressions"),
          bySuppression.size === 0
            ? paragraph("None.")
            : everywhere
              ? table(["rule", "resource", "owner", "approver", "expires"], [...bySuppression.values()].map(({ row }) => row))
              : table(["rule", "resource", "owner", "approver", "expires", "in"], [...bySuppression.values()].map(({ envs, row }) => [...row, envs.join(", ")])),
        ]),
        group("review-tenants", [heading(3, "Who can read each tenant's secrets", "who-can-read-tenants"), table(["in", "tenant", "can read (read or list)"], byReference(all, ref, readerRows))]),
        group("review-keys", [heading(3, "Who can decrypt each backup", "who-can-decrypt-each-backup"), table(["in", "key", "can decrypt"], byReference(all, ref, keyRows))]),
      ],
      "panels",
    ),
  ];
}
