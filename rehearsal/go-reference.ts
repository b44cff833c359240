/**
 * Builds a Go reference program of this directory (an upstream parser driven through JSON lines) offline, in GOPATH
 * mode against Debian's /usr/share/gocode (no module download), once per source version: the binary is kept in the
 * temp directory under the hash of its source. A run sends every request as one JSON line and reads one answer line each.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const GOPATH = "/usr/share/gocode";

/** An import path the program needs and the Debian package that installs it under /usr/share/gocode. */
export interface GoDependency {
  readonly importPath: string;
  readonly debianPackage: string;
}

/** The path of the built program `name` (source in rehearsal/<name>/); throws naming what is missing. */
export function buildGoReference(name: string, dependencies: readonly GoDependency[]): string {
  for (const d of dependencies) {
    if (!existsSync(join(GOPATH, "src", d.importPath))) {
      throw new Error(`${GOPATH}/src/${d.importPath} is missing: apt-get install golang-go ${d.debianPackage} (.ci/run does)`);
    }
  }
  const source = join(__dirname, name);
  const hash = createHash("sha256");
  for (const f of readdirSync(source).filter((n) => n.endsWith(".go") || n === "go.mod").sort()) hash.update(f).update("\0").update(readFileSync(join(source, f)));
  const dir = join(tmpdir(), `${name}-${hash.digest("hex").slice(0, 16)}`);
  const binary = join(dir, name);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GO111MODULE: "off", GOPATH, GOFLAGS: "", GOPROXY: "off", GOCACHE: join(dir, "cache"), CGO_ENABLED: "0" };
  execFileSync("go", ["build", "-o", `${binary}.tmp`, "."], { cwd: source, env, stdio: ["ignore", "pipe", "pipe"] });
  execFileSync("mv", [`${binary}.tmp`, binary]);
  return binary;
}

/** One run of a built reference: one JSON answer per request, in order; throws if it fails or answers fewer. */
export function askReference<T>(binary: string, requests: readonly object[]): T[] {
  const input = requests.map((r) => JSON.stringify(r)).join("\n") + "\n";
  const r = spawnSync(binary, [], { input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${binary} exited with ${r.status}: ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  if (lines.length !== requests.length) throw new Error(`${binary} answered ${lines.length} of ${requests.length} requests`);
  return lines.map((l) => JSON.parse(l) as T);
}
