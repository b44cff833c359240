/**
 * The access graph of one environment as inline SVG, laid out by dagre (@dagrejs/dagre, left to right, crossings
 * minimised) from the synthesized access model, so it shows whatever roles, policies and paths the output holds:
 * an overview (auth roles → the policies their tokens carry → the mounts those policies reach) and, per mount, the
 * same down to each path. Each drawing stays small enough for one screen or one A4 page; a single drawing of every
 * path would be several pages tall and sliced by the printer. Lines from a policy are coloured by the strongest
 * thing its rule grants there: deny, sudo, write (create/update/patch/delete) or read (read/list).
 */
import { graphlib, layout } from "@dagrejs/dagre";
import { CAPABILITY_BITS, type AclPathRule } from "./acl/policy";
import { type AccessModel, tokenPolicies } from "./model";

type Grant = "deny" | "sudo" | "write" | "read";

const COLOURS: Readonly<Record<Grant, string>> = { deny: "#cf222e", sudo: "#8250df", write: "#bc4c00", read: "#0969da" };
/** Strongest first: the colour of a line that stands for several rules. */
const STRENGTH: readonly Grant[] = ["deny", "sudo", "write", "read"];
const FONT = 12;
/** Width of one character at FONT px, a little generous so labels never spill out of their boxes. */
const CHAR = 7.1;
const PAD = 10;
const HEADER = 46;
const MONO = "ui-monospace,Menlo,Consolas,monospace";

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

/** The mount a path belongs to: `auth/<method>/` by its first two segments, others by the first. */
export function mountOf(path: string): string {
  const segments = path.split("/");
  return segments[0] === "auth" && segments.length > 2 ? `auth/${segments[1]}/` : `${segments[0]}/`;
}

interface Box {
  readonly label: string;
  readonly kind: "role" | "policy" | "target";
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

/** Every rule of every policy some role carries, with the policy's name and the rule's mount. */
function carriedRules(model: AccessModel): { policy: string; rule: AclPathRule; path: string; mount: string }[] {
  // The policies each token carries, Vault's built-in default included where the role receives it.
  const carried = new Set(model.roles.flatMap(tokenPolicies).filter((p) => model.policies.has(p)));
  return [...carried].flatMap((policy) =>
    model.policies.get(policy)!.compiled.rules.map((rule) => ({ policy, rule, path: written(rule), mount: mountOf(written(rule)) })),
  );
}

/** Roles and their policies, restricted to `policies`. */
function rolesAndPolicies(model: AccessModel, policies: ReadonlySet<string>, boxes: Map<string, Box>, lines: Line[]): void {
  for (const role of model.roles) {
    const mine = tokenPolicies(role).filter((p) => policies.has(p));
    if (mine.length === 0) continue;
    boxes.set(`r:${role.key}`, { label: role.key, kind: "role" });
    for (const p of mine) {
      boxes.set(`p:${p}`, { label: p, kind: "policy" });
      lines.push({ from: `r:${role.key}`, to: `p:${p}`, title: `${role.key} carries ${p}` });
    }
  }
}

function render(d: Drawing): string {
  const g = new graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: 6, ranksep: 70, edgesep: 4, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [id, box] of d.boxes) g.setNode(id, { width: box.label.length * CHAR + 2 * PAD, height: FONT + 12 });
  for (const l of d.lines) g.setEdge(l.from, l.to);
  layout(g);
  const columns = ([["r:", "auth roles"], ["p:", "policies"], ["t:", d.targetTitle]] as const).filter(([prefix]) => g.nodes().some((n) => n.startsWith(prefix)));
  const left = (prefix: string) => Math.min(...g.nodes().filter((n) => n.startsWith(prefix)).map((n) => g.node(n).x - g.node(n).width / 2));
  // Wide enough for the legend and every column title, not only for the boxes.
  const width = Math.ceil(Math.max(g.graph().width ?? 0, STRENGTH.length * 110, ...columns.map(([prefix, title]) => left(prefix) + (title.length + 2) * CHAR)));
  const height = Math.ceil((g.graph().height ?? 0) + HEADER);
  const out: string[] = [];
  const legend = STRENGTH.map((grant, i) => {
    const x = 8 + i * 110;
    const dash = grant === "deny" ? ' stroke-dasharray="5 3"' : "";
    return `<line x1="${x}" y1="34" x2="${x + 26}" y2="34" stroke="${COLOURS[grant]}" stroke-width="2.5"${dash}/><text x="${x + 32}" y="38">${grant === "read" ? "read/list" : grant}</text>`;
  });
  out.push(`<g font-size="11" fill="#57606a">${legend.join("")}</g>`);
  // Column titles over the three ranks, at the x of their first node.
  for (const [prefix, title] of columns) out.push(`<text x="${left(prefix).toFixed(1)}" y="14" font-weight="600">${esc(title)}</text>`);
  out.push(`<g transform="translate(0 ${HEADER})">`);
  for (const l of d.lines) {
    const points: { x: number; y: number }[] = g.edge(l.from, l.to).points ?? [];
    const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");
    const stroke = l.grant ? COLOURS[l.grant] : "#8c959f";
    const dash = l.grant === "deny" ? ' stroke-dasharray="5 3"' : "";
    out.push(`<path d="${path}" fill="none" stroke="${stroke}" stroke-width="${l.grant ? 1.6 : 1.2}"${dash} opacity="0.85"><title>${esc(l.title)}</title></path>`);
  }
  for (const [id, box] of d.boxes) {
    const n = g.node(id);
    const fill = box.kind === "role" ? "#ddf4ff" : box.kind === "policy" ? "#fff8c5" : "#ffffff";
    const font = box.kind === "policy" ? "" : ` font-family="${MONO}"`;
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

/** Auth roles → policies → mounts: who reaches which mount, one line per policy and mount in its strongest colour. */
export function accessGraphSvg(model: AccessModel): string {
  const rules = carriedRules(model);
  const boxes = new Map<string, Box>();
  const lines: Line[] = [];
  rolesAndPolicies(model, new Set(rules.map((r) => r.policy)), boxes, lines);
  const byPolicyMount = new Map<string, typeof rules>();
  for (const r of rules) byPolicyMount.set(`${r.policy}\0${r.mount}`, [...(byPolicyMount.get(`${r.policy}\0${r.mount}`) ?? []), r]);
  for (const [key, mine] of byPolicyMount) {
    const [policy, mount] = key.split("\0");
    boxes.set(`t:${mount}`, { label: mount, kind: "target" });
    const grant = STRENGTH.find((s) => mine.some((r) => grantOf(r.rule) === s));
    lines.push({ from: `p:${policy}`, to: `t:${mount}`, grant, title: `${policy} on ${mine.map((r) => `${r.path}: ${capabilityNames(r.rule)}`).join("; ")}` });
  }
  const roles = model.roles.filter((r) => boxes.has(`r:${r.key}`)).length;
  const policies = [...boxes.keys()].filter((k) => k.startsWith("p:")).length;
  const mounts = [...boxes.keys()].filter((k) => k.startsWith("t:")).length;
  return render({
    environment: model.environment,
    className: "access-graph",
    label: `Access graph of ${model.environment}: ${roles} auth roles, ${policies} policies, ${mounts} mounts`,
    targetTitle: "mounts",
    boxes,
    lines,
  });
}

/** Per mount, auth roles → policies → each path under the mount its policies name. */
export function mountGraphsSvg(model: AccessModel): { mount: string; svg: string }[] {
  const rules = carriedRules(model);
  const mounts = [...new Set(rules.map((r) => r.mount))].sort();
  return mounts.map((mount) => {
    const mine = rules.filter((r) => r.mount === mount);
    const boxes = new Map<string, Box>();
    const lines: Line[] = [];
    rolesAndPolicies(model, new Set(mine.map((r) => r.policy)), boxes, lines);
    for (const r of mine) {
      boxes.set(`t:${r.path}`, { label: r.path.slice(mount.length) || "(mount root)", kind: "target" });
      lines.push({ from: `p:${r.policy}`, to: `t:${r.path}`, grant: grantOf(r.rule), title: `${r.policy} on ${r.path}: ${capabilityNames(r.rule)}` });
    }
    const paths = new Set(mine.map((r) => r.path)).size;
    const svg = render({
      environment: model.environment,
      className: "access-graph-mount",
      label: `Paths under ${mount} in ${model.environment}: ${paths} paths named by ${new Set(mine.map((r) => r.policy)).size} policies`,
      targetTitle: `paths under ${mount}`,
      boxes,
      lines,
    });
    return { mount, svg };
  });
}
