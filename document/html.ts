/**
 * Renders a document as one self-contained HTML page: inline style, no script, nothing fetched. Every level-2 heading
 * opens a section; a table of contents links every level-2, -3 and -4 heading; ids are unique in the page (a heading
 * without an explicit id gets one derived from its section and its text).
 */
import { slug, type Block } from "./document";
import { STYLE } from "./style";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const MARKS = /`([^`]+)`|\*\*(.+?)\*\*|\[([^\]]+)\]\(#([A-Za-z0-9_-]+)\)/g;

/**
 * Escaped plain text in which long tokens (addresses, ARNs, dotted keys, CamelCase ids) may break after `.`, `_`,
 * `/`, `:`, `-`, `=` and between a lower-case and an upper-case letter, so narrow columns wrap them legibly.
 */
function plain(text: string): string {
  return escapeHtml(text).replace(/\S{25,}/g, (word) => word.replace(/([._/:=,-])(?=\S)/g, "$1<wbr>").replace(/([a-z])(?=[A-Z])/g, "$1<wbr>"));
}

/** Escapes, then turns `code` spans, **bold** and [links](#id) into elements. */
export function inline(text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(MARKS)) {
    out += plain(text.slice(last, m.index));
    if (m[1] !== undefined) out += `<code>${escapeHtml(m[1])}</code>`;
    else if (m[2] !== undefined) out += `<strong>${inline(m[2])}</strong>`;
    else out += `<a href="#${m[4]}">${inline(m[3])}</a>`;
    last = m.index + m[0].length;
  }
  return out + plain(text.slice(last));
}

const STATUS = new Set(["pass", "fail", "suppressed", "n/a"]);

/** A header as plain text (for the `data-label` the cards show): marks removed, links by their text. */
const unmarked = (text: string) => text.replace(MARKS, (_m, c?: string, b?: string, l?: string) => c ?? b ?? l ?? "");

function cell(text: string, label: string, first: boolean): string {
  const cls = STATUS.has(text) ? ` class="status ${text === "n/a" ? "na" : text}"` : "";
  const tag = first ? "th" : "td";
  const scope = first ? ' scope="row"' : "";
  return `<${tag}${scope}${cls} data-label="${escapeHtml(unmarked(label))}">${inline(text).replace(/\n/g, "<br>")}</${tag}>`;
}

function tableHtml(b: Extract<Block, { kind: "table" }>): string {
  // Many columns do not fit A4 or a phone as a grid: those are cards everywhere.
  const layout = b.layout ?? (b.header.length > 6 ? "cards" : "auto");
  const head = `<thead><tr>${b.header.map((h) => `<th scope="col">${inline(h)}</th>`).join("")}</tr></thead>`;
  const body = b.rows.map((r) => `<tr>${r.map((c, i) => cell(c, b.header[i] ?? "", i === 0)).join("")}</tr>`).join("");
  return `<table class="${layout}">${head}<tbody>${body}</tbody></table>`;
}

interface TocEntry {
  readonly level: 2 | 3 | 4;
  readonly id: string;
  readonly text: string;
}

function tocHtml(entries: readonly TocEntry[]): string {
  const out: string[] = ['<nav class="toc" aria-label="Contents"><p class="toc-title">Contents</p><ol>'];
  let open3 = false;
  let open4 = false;
  const close4 = () => {
    if (open4) out.push("</span>");
    open4 = false;
  };
  const close3 = () => {
    close4();
    if (open3) out.push("</li></ol>");
    open3 = false;
  };
  entries.forEach((e, i) => {
    const a = `<a href="#${e.id}">${inline(e.text)}</a>`;
    if (e.level === 2) {
      close3();
      if (i > 0) out.push("</li>");
      out.push(`<li>${a}`);
    } else if (e.level === 3) {
      close4();
      out.push(open3 ? `</li><li>${a}` : `<ol><li>${a}`);
      open3 = true;
    } else {
      out.push(open4 ? `, ${a}` : `<span class="toc-sub">: ${a}`);
      open4 = true;
    }
  });
  close3();
  if (entries.length > 0) out.push("</li>");
  out.push("</ol></nav>");
  return out.join("");
}

export function toHtml(title: string, blocks: readonly Block[]): string {
  const used = new Set<string>();
  const unique = (base: string) => {
    let id = base || "section";
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  };
  const toc: TocEntry[] = [];
  const header: string[] = [];
  const main: string[] = [];
  let out = header;
  let section = "";
  let inSection = false;

  const render = (bs: readonly Block[]) => {
    for (const b of bs) {
      switch (b.kind) {
        case "heading": {
          if (b.level === 1) {
            out.push(`<h1 id="${unique(b.id ?? slug(b.text))}">${inline(b.text)}</h1>`);
            break;
          }
          const id = unique(b.id ?? (b.level === 2 ? slug(b.text) : `${section}--${slug(b.text)}`));
          if (b.level === 2) {
            if (inSection) main.push("</section>");
            out = main;
            section = id;
            inSection = true;
            main.push(`<section aria-labelledby="${id}">`);
          }
          toc.push({ level: b.level, id, text: b.text });
          out.push(`<h${b.level} id="${id}">${inline(b.text)}</h${b.level}>`);
          break;
        }
        case "paragraph":
          out.push(`<p>${inline(b.text)}</p>`);
          break;
        case "list":
          out.push(`<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join("")}</ul>`);
          break;
        case "table":
          if (b.rows.length > 0) out.push(tableHtml(b));
          break;
        case "code":
          out.push(`<pre><code class="language-${escapeHtml(b.language)}">${escapeHtml(b.text)}</code></pre>`);
          break;
        case "group":
          out.push(`<div class="${b.layout ?? "group"}" id="${unique(b.id)}">`);
          render(b.blocks);
          out.push("</div>");
          break;
        case "figure":
          out.push(`<figure>${b.svg}<figcaption>${inline(b.caption)}</figcaption></figure>`);
          break;
      }
    }
  };
  render(blocks);
  if (inSection) main.push("</section>");
  // The first section (the summary: what a reviewer signs) comes first on the screen, the contents after it.
  const firstEnd = main.indexOf("</section>");
  const body = firstEnd < 0 ? [tocHtml(toc), ...main] : [...main.slice(0, firstEnd + 1), tocHtml(toc), ...main.slice(firstEnd + 1)];
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n<header>${header.join("\n")}</header>\n` +
    `<main>\n${body.join("\n")}\n</main>\n</body></html>\n`
  );
}
