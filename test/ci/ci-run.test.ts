/**
 * `.ci/run` on a fresh machine, executed with stand-ins for apt-get, dpkg-query and npm on PATH (the real
 * script, copied into a temporary checkout): every Debian package the tests need is installed before `npm test`,
 * in one apt-get call, and nothing is installed when all are present.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers";

/** Runs .ci/run with `installed` packages reported by dpkg-query; returns the commands the stand-ins logged. */
function runCi(installed: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "ci-run-"));
  try {
    mkdirSync(join(dir, ".ci"));
    mkdirSync(join(dir, "bin"));
    copyFileSync(join(ROOT, ".ci/run"), join(dir, ".ci/run"));
    const log = join(dir, "log");
    const stub = (name: string, body: string) => {
      writeFileSync(join(dir, "bin", name), `#!/usr/bin/env bash\n${body}\n`);
      chmodSync(join(dir, "bin", name), 0o755);
    };
    for (const name of ["apt-get", "npm", "sudo"]) stub(name, `echo "${name} $*" >> "${log}"${name === "sudo" ? '; "$@"' : ""}`);
    // dpkg-query -W -f='${Status}' <pkg>: "install ok installed" for an installed package, exit 1 otherwise.
    stub("dpkg-query", `case " ${installed.join(" ")} " in *" \${@: -1} "*) printf 'install ok installed';; *) exit 1;; esac`);
    const r = spawnSync("bash", [join(dir, ".ci/run")], { encoding: "utf8", env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}`, CHROMIUM_PATH: "" } });
    expect([r.status, r.stderr]).toEqual([0, ""]);
    return readFileSync(log, "utf8").trim().split("\n").map((l) => l.replace(/^sudo /, ""));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The script's own package list (APT_PACKAGES=(...)). */
const PACKAGES = /^APT_PACKAGES=\(([^)]*)\)$/m.exec(readFileSync(join(ROOT, ".ci/run"), "utf8"))![1].split(/\s+/).filter(Boolean);

describe(".ci/run", () => {
  it("installs PostgreSQL, Chromium, promtool, Go and Debian's hcl in one apt-get call before npm ci and npm test on a fresh machine", () => {
    const calls = runCi([]);
    const install = calls.findIndex((c) => c.startsWith("apt-get install"));
    expect(calls[install].split(" ")).toEqual(expect.arrayContaining(["postgresql", "chromium", "prometheus", "golang-go", "golang-github-hashicorp-hcl-dev", "-y"]));
    expect(calls[install].split(" ").slice(3).sort()).toEqual([...PACKAGES].sort());
    expect(calls.filter((c) => c.startsWith("apt-get install"))).toHaveLength(1);
    expect(install).toBeLessThan(calls.indexOf("npm test"));
    expect(calls.slice(install + 1)).toEqual(["npm ci", "npm test", "npm run synth", "npm run test:browser"]);
  });

  it("installs only what is missing, and nothing when every package is there", () => {
    const rest = PACKAGES.filter((p) => p !== "chromium");
    expect(runCi(["chromium"]).filter((c) => c.startsWith("apt-get install"))).toEqual([`apt-get install -y ${rest.join(" ")}`]);
    expect(runCi(PACKAGES)).toEqual(["npm ci", "npm test", "npm run synth", "npm run test:browser"]);
  });
});
