/**
 * The `hashFiles()` expression function as the runner computes it (actions/runner,
 * src/Misc/expressionFunc/hashFiles/src/hashFiles.ts): the patterns (relative to the workspace; `**` any path, `*`
 * within one path segment, `!` excludes what earlier patterns matched) select files under the workspace; each
 * file's SHA-256 is fed, in path order, into one SHA-256 whose hex digest is the result; no file gives ''.
 * Directories that are symbolic links (the rehearsal's node_modules) and .git are not entered: no pattern here reaches them.
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

function toRegExp(glob: string): RegExp {
  const g = glob.replace(/^\.\//, "");
  let re = "";
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === "*" && g[i + 1] === "*") {
      // `**` is any path; `**/` also matches no directory at all.
      re += ".*";
      i += g[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function files(dir: string, root: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory() && name !== ".git") files(path, root, out);
    else if (stat.isFile()) out.push(relative(root, path));
  }
  return out;
}

export function hashFiles(workspace: string, patterns: readonly string[]): string {
  const all = files(workspace, workspace).sort();
  const selected = new Set<string>();
  for (const pattern of patterns) {
    const negate = pattern.startsWith("!");
    const re = toRegExp(negate ? pattern.slice(1) : pattern);
    for (const f of all.filter((x) => re.test(x))) {
      if (negate) selected.delete(f);
      else selected.add(f);
    }
  }
  if (selected.size === 0) return "";
  const result = createHash("sha256");
  for (const f of all.filter((x) => selected.has(x))) result.update(createHash("sha256").update(readFileSync(join(workspace, f))).digest());
  return result.digest("hex");
}
