/**
 * Builds and runs the Go reference of Vault's policy parser (rehearsal/vault-policy-ref/: Vault's
 * parse steps on hashicorp/hcl from Debian's golang-github-hashicorp-hcl-dev, the vault fork's differences
 * modelled). Built offline in GOPATH mode against /usr/share/gocode (no module download), once per source
 * version: the binary is kept in the temp directory under the hash of the source. All policies of a run go through
 * one process, as JSON lines.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SOURCE = join(__dirname, "vault-policy-ref");
const GOPATH = "/usr/share/gocode";

export interface ReferenceRule {
  path: string;
  isPrefix: boolean;
  hasSegmentWildcards: boolean;
  capabilities: number;
  minWrappingTtlNs: string;
  maxWrappingTtlNs: string;
  allowed: Record<string, unknown[]> | null;
  denied: Record<string, unknown[]> | null;
  required: string[];
}

export interface ReferenceResult {
  ok: boolean;
  error?: string;
  name: string;
  rules: ReferenceRule[] | null;
}

/** The path of the built reference; throws with what is missing when Go or Debian's hcl is not installed. */
export function buildReference(): string {
  if (!existsSync(join(GOPATH, "src", "github.com", "hashicorp", "hcl"))) {
    throw new Error(`${GOPATH}/src/github.com/hashicorp/hcl is missing: apt-get install golang-go golang-github-hashicorp-hcl-dev (.ci/run does)`);
  }
  const hash = createHash("sha256");
  for (const f of readdirSync(SOURCE).filter((n) => n.endsWith(".go") || n === "go.mod").sort()) hash.update(f).update("\0").update(readFileSync(join(SOURCE, f)));
  const dir = join(tmpdir(), `vault-policy-ref-${hash.digest("hex").slice(0, 16)}`);
  const binary = join(dir, "vault-policy-ref");
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GO111MODULE: "off", GOPATH, GOFLAGS: "", GOPROXY: "off", GOCACHE: join(dir, "cache"), CGO_ENABLED: "0" };
  execFileSync("go", ["build", "-o", `${binary}.tmp`, "."], { cwd: SOURCE, env, stdio: ["ignore", "pipe", "pipe"] });
  execFileSync("mv", [`${binary}.tmp`, binary]);
  return binary;
}

/** Vault's answer for each policy text, from one run of the reference. */
export function referenceParse(binary: string, texts: readonly string[]): ReferenceResult[] {
  const input = texts.map((text) => JSON.stringify({ text })).join("\n") + "\n";
  const r = spawnSync(binary, [], { input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`vault-policy-ref exited with ${r.status}: ${r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  if (lines.length !== texts.length) throw new Error(`vault-policy-ref answered ${lines.length} of ${texts.length} policies`);
  return lines.map((l) => JSON.parse(l) as ReferenceResult);
}
