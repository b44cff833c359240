/**
 * A small document model for the compliance report, rendered to Markdown (for pull requests) and to a
 * self-contained HTML page (for reviewers): one content tree, so both always say the same.
 */
export type Block =
  | { readonly kind: "heading"; readonly level: 1 | 2 | 3 | 4; readonly text: string }
  | { readonly kind: "paragraph"; readonly text: string }
  | { readonly kind: "list"; readonly items: readonly string[] }
  | { readonly kind: "table"; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly kind: "code"; readonly language: string; readonly text: string };

export const heading = (level: 1 | 2 | 3 | 4, text: string): Block => ({ kind: "heading", level, text });
export const paragraph = (text: string): Block => ({ kind: "paragraph", text });
export const list = (items: readonly string[]): Block => ({ kind: "list", items });
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): Block => ({ kind: "table", header, rows });
export const code = (language: string, text: string): Block => ({ kind: "code", language, text });

/** Inline text uses `code` spans only; everything else is plain. */
function mdCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
}

export function toMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "heading":
        out.push(`${"#".repeat(b.level)} ${b.text}`, "");
        break;
      case "paragraph":
        out.push(b.text, "");
        break;
      case "list":
        out.push(...b.items.map((i) => `- ${i}`), "");
        break;
      case "table":
        if (b.rows.length === 0) break;
        out.push(`| ${b.header.map(mdCell).join(" | ")} |`, `| ${b.header.map(() => "---").join(" | ")} |`);
        out.push(...b.rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`), "");
        break;
      case "code":
        out.push("```" + b.language, b.text.replace(/\n$/, ""), "```", "");
        break;
    }
  }
  return out.join("\n");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Escapes, then turns `code` spans and **bold** into elements. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:1200px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{border-bottom:2px solid #444}h2{border-bottom:1px solid #ccc;margin-top:2.5rem}
table{border-collapse:collapse;margin:1rem 0;width:100%;font-size:13px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr:nth-child(even) td{background:#fbfbfc}
code{background:#f2f3f5;padding:0 3px;border-radius:3px;font-size:12px}pre{background:#f6f8fa;padding:.75rem;overflow:auto;border:1px solid #d0d7de}
pre code{background:none;padding:0}td.pass{color:#116329;font-weight:600}td.fail{color:#cf222e;font-weight:600}td.suppressed{color:#9a6700;font-weight:600}
nav ul{columns:2}td:first-child{white-space:nowrap}
`;

const STATUS_CLASS: Record<string, string> = { pass: "pass", fail: "fail", suppressed: "suppressed" };

export function toHtml(title: string, blocks: readonly Block[]): string {
  const toc = blocks
    .filter((b): b is Extract<Block, { kind: "heading" }> => b.kind === "heading" && b.level === 2)
    .map((b) => `<li><a href="#${slug(b.text)}">${inline(b.text)}</a></li>`);
  const body: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "heading":
        body.push(`<h${b.level} id="${slug(b.text)}">${inline(b.text)}</h${b.level}>`);
        if (b.level === 1 && toc.length > 0) body.push(`<nav><ul>${toc.join("")}</ul></nav>`);
        break;
      case "paragraph":
        body.push(`<p>${inline(b.text)}</p>`);
        break;
      case "list":
        body.push(`<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join("")}</ul>`);
        break;
      case "table":
        if (b.rows.length === 0) break;
        body.push(
          `<table><thead><tr>${b.header.map((h) => `<th>${inline(h)}</th>`).join("")}</tr></thead><tbody>` +
            b.rows
              .map((r) => `<tr>${r.map((c) => `<td${STATUS_CLASS[c] ? ` class="${STATUS_CLASS[c]}"` : ""}>${inline(c).replace(/\n/g, "<br>")}</td>`).join("")}</tr>`)
              .join("") +
            "</tbody></table>",
        );
        break;
      case "code":
        body.push(`<pre><code class="language-${escapeHtml(b.language)}">${escapeHtml(b.text)}</code></pre>`);
        break;
    }
  }
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body.join("\n")}\n</body></html>\n`;
}
