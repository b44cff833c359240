/**
 * An environment shown as its differences from the reference environment (prod): its report sections are built as
 * the reference's are, then compared section by section with the environment's name made generic (so
 * `vault-dev-server` matches `vault-prod-server`). Only what differs is shown: table rows that are not in the
 * reference (and those of the reference it lacks), paragraphs and lists that differ, drawings that differ; sections
 * identical to the reference are named once.
 */
import { heading, list, paragraph, table, type Block } from "../../document/document";
import { generic } from "./review";

interface Section {
  readonly title: string;
  readonly blocks: Block[];
}

/** Blocks split at level-3 headings (what comes before the first one is a section titled ""). */
function sections(blocks: readonly Block[]): Section[] {
  const out: Section[] = [{ title: "", blocks: [] }];
  for (const b of blocks) {
    if (b.kind === "heading" && b.level <= 3) out.push({ title: b.text, blocks: [] });
    else out[out.length - 1].blocks.push(b);
  }
  return out.filter((s) => s.title !== "" || s.blocks.length > 0);
}

/** One comparable key per block (tables compare row by row instead). */
const keyOf = (b: Block, env: string): string => generic(JSON.stringify(b), env);

/** What of `mine` differs from `theirs`: rows of tables with the same header, and whole other blocks. */
function sectionDiff(mine: readonly Block[], env: string, theirs: readonly Block[], ref: string): Block[] {
  const theirKeys = new Set(theirs.map((b) => keyOf(b, ref)));
  const out: Block[] = [];
  for (const b of mine) {
    if (theirKeys.has(keyOf(b, env))) continue;
    if (b.kind === "list") {
      const theirItems = new Set(theirs.flatMap((t) => (t.kind === "list" ? t.items.map((i) => generic(i, ref)) : [])));
      out.push(list(b.items.filter((i) => !theirItems.has(generic(i, env)))));
      continue;
    }
    if (b.kind !== "table") {
      out.push(b);
      continue;
    }
    const same = theirs.find((t): t is Extract<Block, { kind: "table" }> => t.kind === "table" && keyOf(table(t.header, []), ref) === keyOf(table(b.header, []), env));
    if (!same) {
      out.push(b);
      continue;
    }
    const rowKey = (r: readonly string[], e: string) => generic(r.join("\0"), e);
    const firstKey = (r: readonly string[], e: string) => generic(r[0] ?? "", e);
    const theirRows = new Set(same.rows.map((r) => rowKey(r, ref)));
    const myFirst = new Set(b.rows.map((r) => firstKey(r, env)));
    const rows = [
      ...b.rows.filter((r) => !theirRows.has(rowKey(r, env))).map((r) => [...r, "differs"]),
      ...same.rows.filter((r) => !myFirst.has(firstKey(r, ref))).map((r) => [...r, `only in ${ref}`]),
    ];
    if (rows.length > 0) out.push(table([...b.header, `vs ${ref}`], rows, b.layout));
  }
  return out;
}

/** `mine` (the environment's report sections, without its level-2 heading) as differences from `reference`. */
export function differencesFrom(env: string, mine: readonly Block[], ref: string, reference: readonly Block[]): Block[] {
  const theirs = new Map(sections(reference).map((s) => [generic(s.title, ref), s]));
  const same: string[] = [];
  const out: Block[] = [];
  for (const s of sections(mine)) {
    const other = theirs.get(generic(s.title, env));
    const diff = other ? sectionDiff(s.blocks, env, other.blocks, ref) : s.blocks;
    if (diff.length === 0 && other) {
      same.push(s.title || "introduction");
      continue;
    }
    if (s.title) out.push(heading(3, other ? `${s.title}: differences from ${ref}` : `${s.title} (not in ${ref})`));
    out.push(...diff);
  }
  // A differing row may link to evidence identical to the reference's, which is not repeated: link the reference's.
  const kept = new Set(out.flatMap((b) => (b.kind === "group" ? [b.id] : [])));
  const relinked = JSON.parse(
    JSON.stringify(out).replace(new RegExp(`\\(#${env}--([A-Za-z0-9_-]+)\\)`, "g"), (m, id: string) => (kept.has(`${env}--${id}`) ? m : `(#${ref}--${id})`)),
  ) as Block[];
  return [paragraph(`Shown as its differences from ${ref}. The same as in ${ref}: ${same.join(", ") || "nothing"}.`), ...relinked];
}
