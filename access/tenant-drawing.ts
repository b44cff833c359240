/**
 * One small access drawing per tenant (small multiples), as inline SVG laid out by dagre (@dagrejs/dagre, left to
 * right, crossings minimised) from the tenant access (access/tenants.ts): the identities that reach the tenant's
 * owned paths, and those paths, one line per identity and path in the colour of the strongest thing it can do there
 * (write: create/update/patch/delete; read: read/list), the granting policies as its tooltip; an identity equivalent
 * to an administrator reaches every path by escalation (dashed). Each drawing fits one screen or one A4 page.
 */
import { graphlib, layout } from "@dagrejs/dagre";
import type { TenantAccess } from "./tenants";

type Grant = "escalation" | "write" | "read";

const COLOURS: Readonly<Record<Grant, string>> = { escalation: "#8250df", write: "#bc4c00", read: "#0969da" };
const LEGEND: Readonly<Record<Grant, string>> = { escalation: "by escalation", write: "write", read: "read/list" };
const STRENGTH: readonly Grant[] = ["write", "read", "escalation"];
const FONT = 12;
/** Width of one character at FONT px, a little generous so labels never spill out of their boxes. */
const CHAR = 7.1;
const PAD = 10;
const HEADER = 46;
const MONO = "ui-monospace,Menlo,Consolas,monospace";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

interface Box {
  readonly label: string;
  readonly kind: "role" | "target";
}

interface Line {
  readonly from: string;
  readonly to: string;
  readonly grant?: Grant;
  readonly title: string;
}

interface Drawing {
  readonly environment: string;
  readonly className: string;
  readonly label: string;
  readonly targetTitle: string;
  readonly boxes: ReadonlyMap<string, Box>;
  readonly lines: readonly Line[];
}

function render(d: Drawing): string {
  const g = new graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: 6, ranksep: 70, edgesep: 4, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [id, box] of d.boxes) g.setNode(id, { width: box.label.length * CHAR + 2 * PAD, height: FONT + 12 });
  for (const l of d.lines) g.setEdge(l.from, l.to);
  layout(g);
  const columns = ([["r:", "identities (auth roles)"], ["t:", d.targetTitle]] as const).filter(([prefix]) => g.nodes().some((n) => n.startsWith(prefix)));
  const left = (prefix: string) => Math.min(...g.nodes().filter((n) => n.startsWith(prefix)).map((n) => g.node(n).x - g.node(n).width / 2));
  // Wide enough for the legend and every column title, not only for the boxes.
  const width = Math.ceil(Math.max(g.graph().width ?? 0, STRENGTH.length * 110, ...columns.map(([prefix, title]) => left(prefix) + (title.length + 2) * CHAR)));
  const height = Math.ceil((g.graph().height ?? 0) + HEADER);
  const out: string[] = [];
  const legend = STRENGTH.map((grant, i) => {
    const x = 8 + i * 110;
    const dash = grant === "escalation" ? ' stroke-dasharray="5 3"' : "";
    return `<line x1="${x}" y1="34" x2="${x + 26}" y2="34" stroke="${COLOURS[grant]}" stroke-width="2.5"${dash}/><text x="${x + 32}" y="38">${LEGEND[grant]}</text>`;
  });
  out.push(`<g font-size="11" fill="#57606a">${legend.join("")}</g>`);
  // Column titles over the three ranks, at the x of their first node.
  for (const [prefix, title] of columns) out.push(`<text x="${left(prefix).toFixed(1)}" y="14" font-weight="600">${esc(title)}</text>`);
  out.push(`<g transform="translate(0 ${HEADER})">`);
  for (const l of d.lines) {
    const points: { x: number; y: number }[] = g.edge(l.from, l.to).points ?? [];
    const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
    const stroke = l.grant ? COLOURS[l.grant] : "#8c959f";
    const dash = l.grant === "escalation" ? ' stroke-dasharray="5 3"' : "";
    out.push(`<path d="${path}" fill="none" stroke="${stroke}" stroke-width="${l.grant ? 1.6 : 1.2}"${dash} opacity="0.85"><title>${esc(l.title)}</title></path>`);
  }
  for (const [id, box] of d.boxes) {
    const n = g.node(id);
    const fill = box.kind === "role" ? "#ddf4ff" : "#ffffff";
    const font = ` font-family="${MONO}"`;
    out.push(
      `<g><rect x="${(n.x - n.width / 2).toFixed(1)}" y="${(n.y - n.height / 2).toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height.toFixed(1)}" rx="${box.kind === "role" ? 9 : 3}" fill="${fill}" stroke="#57606a"/>` +
        `<text x="${(n.x - n.width / 2 + PAD).toFixed(1)}" y="${(n.y + FONT / 2 - 2).toFixed(1)}"${font}>${esc(box.label)}</text></g>`,
    );
  }
  out.push("</g>");
  return (
    `<svg class="${d.className}" data-environment="${esc(d.environment)}" role="img" aria-label="${esc(d.label)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="--natural-width:${width}px" font-family="system-ui,sans-serif" font-size="${FONT}" fill="#1b1f24">` +
    `${out.join("")}</svg>`
  );
}

/** Label of the box that stands for every path, reached by escalation. */
export const EVERY_PATH = "every path (by escalation)";

/** The drawing of one tenant: identities → its owned paths. */
export function tenantDrawingSvg(access: TenantAccess): string {
  const boxes = new Map<string, Box>();
  const lines: Line[] = [];
  for (const owned of access.tenant.ownedPaths) boxes.set(`t:${owned}`, { label: owned, kind: "target" });
  for (const g of access.direct) {
    boxes.set(`r:${g.role.key}`, { label: g.role.key, kind: "role" });
    for (const owned of access.tenant.ownedPaths) {
      const grant: Grant | undefined = g.writes.includes(owned) ? "write" : g.reads.includes(owned) ? "read" : undefined;
      if (grant) lines.push({ from: `r:${g.role.key}`, to: `t:${owned}`, grant, title: `${g.role.key} ${grant === "write" ? "writes" : "reads"} ${owned} (${g.policies.join(", ")})` });
    }
  }
  if (access.escalation.length > 0) boxes.set("t:*", { label: EVERY_PATH, kind: "target" });
  for (const e of access.escalation) {
    boxes.set(`r:${e.role.key}`, { label: e.role.key, kind: "role" });
    lines.push({ from: `r:${e.role.key}`, to: "t:*", grant: "escalation", title: `${e.role.key} can change ${[...new Set(e.grants.map((g) => g.area))].join(", ")}` });
  }
  const roles = [...boxes.keys()].filter((k) => k.startsWith("r:")).length;
  const svg = render({
    environment: access.environment,
    className: "tenant-access",
    label: `Access to ${access.tenant.name} in ${access.environment}: ${roles} identities, ${access.tenant.ownedPaths.length} owned paths`,
    targetTitle: `paths ${access.tenant.name} owns`,
    boxes,
    lines,
  });
  return svg.replace("<svg ", `<svg data-tenant="${esc(access.tenant.name)}" `);
}
