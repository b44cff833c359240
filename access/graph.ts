/**
 * The access graph of one environment as inline SVG: auth roles → the policies their tokens carry → the paths those
 * policies name, grouped by mount. Laid out by dagre (@dagrejs/dagre, left to right, crossings minimised) from the
 * synthesized access model, so it shows whatever roles, policies and paths the output holds. Edges from a policy to a
 * path are coloured by what the rule grants: deny, sudo, write (create/update/patch/delete) or read (read/list).
 */
import { graphlib, layout } from "@dagrejs/dagre";
import { CAPABILITY_BITS, type AclPathRule } from "./acl/policy";
import type { AccessModel } from "./model";

type Grant = "deny" | "sudo" | "write" | "read";

const COLOURS: Readonly<Record<Grant, string>> = { deny: "#cf222e", sudo: "#8250df", write: "#bc4c00", read: "#0969da" };
const FONT = 12;
/** Width of one character at FONT px, a little generous so labels never spill out of their boxes. */
const CHAR = 7.1;
const PAD = 10;
const HEADER = 46;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function grantOf(rule: AclPathRule): Grant {
  const c = rule.permissions.capabilities;
  if (c === CAPABILITY_BITS.deny) return "deny";
  if (c & CAPABILITY_BITS.sudo) return "sudo";
  if (c & (CAPABILITY_BITS.create | CAPABILITY_BITS.update | CAPABILITY_BITS.patch | CAPABILITY_BITS.delete)) return "write";
  return "read";
}

function capabilityNames(rule: AclPathRule): string {
  return Object.entries(CAPABILITY_BITS)
    .filter(([, bit]) => rule.permissions.capabilities & bit)
    .map(([name]) => name)
    .join(", ");
}

/** The path as written in the policy (the ACL keeps prefix rules without their trailing `*`). */
const written = (rule: AclPathRule) => (rule.isPrefix ? `${rule.path}*` : rule.path);

/** The mount a path belongs to: `auth/<method>/` and `sys/` by their first segments, others by the first. */
function mountOf(path: string): string {
  const segments = path.split("/");
  return segments[0] === "auth" && segments.length > 2 ? `auth/${segments[1]}/` : `${segments[0]}/`;
}

interface Box {
  readonly label: string;
  readonly kind: "role" | "policy" | "path";
  readonly mono: boolean;
}

export function accessGraphSvg(model: AccessModel): string {
  const g = new graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: 6, ranksep: 70, edgesep: 4, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const boxes = new Map<string, Box>();
  const addNode = (id: string, box: Box) => {
    boxes.set(id, box);
    g.setNode(id, { width: box.label.length * CHAR + 2 * PAD, height: FONT + 12 });
  };
  const used = new Set(model.roles.flatMap((r) => r.policies).filter((p) => model.policies.has(p)));
  for (const role of model.roles) addNode(`r:${role.key}`, { label: role.key, kind: "role", mono: true });
  for (const name of used) addNode(`p:${name}`, { label: name, kind: "policy", mono: false });
  const edges: { from: string; to: string; grant?: Grant; title: string }[] = [];
  for (const role of model.roles) {
    for (const p of role.policies) if (used.has(p)) edges.push({ from: `r:${role.key}`, to: `p:${p}`, title: `${role.key} carries ${p}` });
  }
  const mounts = new Set<string>();
  for (const name of used) {
    for (const rule of model.policies.get(name)!.compiled.rules) {
      const path = written(rule);
      const mount = mountOf(path);
      const id = `a:${path}`;
      if (!boxes.has(id)) {
        if (!mounts.has(mount)) {
          mounts.add(mount);
          g.setNode(`m:${mount}`, { label: mount, paddingTop: 20 });
        }
        addNode(id, { label: path.slice(mount.length) || "(mount root)", kind: "path", mono: true });
        g.setParent(id, `m:${mount}`);
      }
      edges.push({ from: `p:${name}`, to: id, grant: grantOf(rule), title: `${name} on ${path}: ${capabilityNames(rule)}` });
    }
  }
  for (const e of edges) g.setEdge(e.from, e.to);
  layout(g);

  const width = Math.ceil((g.graph().width ?? 0) + 0);
  const height = Math.ceil((g.graph().height ?? 0) + HEADER);
  const out: string[] = [];
  const legend = (["read", "write", "sudo", "deny"] as Grant[]).map((grant, i) => {
    const x = 8 + i * 110;
    return `<line x1="${x}" y1="34" x2="${x + 26}" y2="34" stroke="${COLOURS[grant]}" stroke-width="2.5"${grant === "deny" ? ' stroke-dasharray="5 3"' : ""}/><text x="${x + 32}" y="38">${grant === "write" ? "write" : grant === "read" ? "read/list" : grant}</text>`;
  });
  out.push(`<g font-size="11" fill="#57606a">${legend.join("")}</g>`);
  // Column titles over the three ranks, at the x of their first node.
  const firstX = (prefix: string) => Math.min(...g.nodes().filter((n) => n.startsWith(prefix)).map((n) => g.node(n).x - g.node(n).width / 2));
  for (const [prefix, title] of [["r:", "auth roles"], ["p:", "policies"], ["m:", "mounts and paths"]] as const) {
    if (g.nodes().some((n) => n.startsWith(prefix))) out.push(`<text x="${firstX(prefix).toFixed(1)}" y="14" font-weight="600" font-size="12">${title}</text>`);
  }
  out.push(`<g transform="translate(0 ${HEADER})">`);
  for (const m of mounts) {
    const n = g.node(`m:${m}`);
    out.push(
      `<rect x="${(n.x - n.width / 2).toFixed(1)}" y="${(n.y - n.height / 2).toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height.toFixed(1)}" rx="6" fill="#f6f8fa" stroke="#8c959f" stroke-dasharray="4 3"/>` +
        `<text x="${(n.x - n.width / 2 + 8).toFixed(1)}" y="${(n.y - n.height / 2 + 14).toFixed(1)}" font-size="11" font-weight="600" font-family="ui-monospace,Menlo,Consolas,monospace">${esc(m)}</text>`,
    );
  }
  for (const e of edges) {
    const points: { x: number; y: number }[] = g.edge(e.from, e.to).points ?? [];
    const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
    const colour = e.grant ? COLOURS[e.grant] : "#8c959f";
    out.push(
      `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${e.grant ? 1.6 : 1.2}"${e.grant === "deny" ? ' stroke-dasharray="5 3"' : ""} opacity="0.85"><title>${esc(e.title)}</title></path>`,
    );
  }
  for (const [id, box] of boxes) {
    const n = g.node(id);
    const fill = box.kind === "role" ? "#ddf4ff" : box.kind === "policy" ? "#fff8c5" : "#ffffff";
    const font = box.mono ? ' font-family="ui-monospace,Menlo,Consolas,monospace"' : "";
    out.push(
      `<g><rect x="${(n.x - n.width / 2).toFixed(1)}" y="${(n.y - n.height / 2).toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height.toFixed(1)}" rx="${box.kind === "role" ? 9 : 3}" fill="${fill}" stroke="#57606a"/>` +
        `<text x="${(n.x - n.width / 2 + PAD).toFixed(1)}" y="${(n.y + FONT / 2 - 2).toFixed(1)}"${font}>${esc(box.label)}</text></g>`,
    );
  }
  out.push("</g>");
  const label = `Access graph of ${model.environment}: ${model.roles.length} auth roles, ${used.size} policies, ${boxes.size - model.roles.length - used.size} paths in ${mounts.size} mounts`;
  return (
    `<svg class="access-graph" data-environment="${esc(model.environment)}" role="img" aria-label="${esc(label)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="--natural-width:${width}px" font-family="system-ui,sans-serif" font-size="${FONT}" fill="#1b1f24">` +
    `${out.join("")}</svg>`
  );
}
