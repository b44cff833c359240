// Run after `npm install` changes package-lock.json: `node scripts/complete-lockfile.js`.
//
// Packages that ship native binaries (@swc/core, unrs-resolver, @parcel/watcher) declare one optional dependency per
// platform build, and each build's package.json says where it runs (`os`, `cpu`, `libc`). npm copies those fields
// into the lock entry, and `npm ci` then installs only the builds that fit the machine, without fetching the others.
// A registry that lacks some builds (some mirrors serve no darwin or win32 ones) makes `npm install` leave them out
// of the lock, and `npm ci` refuses a lock that lacks a declared dependency. This adds the missing entries, and
// completes any entry without `os`/`cpu`, with the platform read from the package name
// (`@swc/core-linux-x64-musl`: linux, x64, musl). Such an entry has no integrity, so `npm ci` skips it where it does
// not fit and, where it fits but the registry lacks it, skips it as a failed optional dependency. Optional
// dependencies not named for a platform (fsevents, @pkgjs/parseargs) are left as npm wrote them.
const { readFileSync, writeFileSync } = require("node:fs");

const OS = { darwin: "darwin", linux: "linux", win32: "win32", freebsd: "freebsd", android: "android", openharmony: "openharmony", sunos: "sunos", aix: "aix", netbsd: "netbsd", openbsd: "openbsd" };
const CPU = { x64: "x64", arm64: "arm64", arm: "arm", ia32: "ia32", ppc64: "ppc64", s390x: "s390x", riscv64: "riscv64", loong64: "loong64", wasm32: "wasm32" };
// Name suffixes that say which C library a Linux build links against.
const LIBC = { gnu: "glibc", glibc: "glibc", gnueabihf: "glibc", musl: "musl", musleabihf: "musl" };

/** `{ os, cpu, libc? }` of a platform build named like `<base>-<os>-<cpu>[-<abi>]`, or undefined. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const at = parts.findIndex((p, i) => OS[p] && CPU[parts[i + 1]]);
  if (at < 0) return undefined;
  const platform = { os: [OS[parts[at]]], cpu: [CPU[parts[at + 1]]] };
  const libc = parts[at] === "linux" ? LIBC[parts[at + 2]] : undefined;
  return libc ? { ...platform, libc: [libc] } : platform;
}

/** The optional dependencies named for a platform, when a package declares several (a family of native builds). */
function platformBuilds(entry) {
  const names = Object.keys(entry.optionalDependencies ?? {}).filter((n) => platformOf(n));
  return names.length > 1 ? names : [];
}

/** Completes `lock` in place; returns what it changed, and the names it could not read. */
function completeLock(lock) {
  const added = [];
  const completed = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const name of platformBuilds(entry)) {
      const version = entry.optionalDependencies[name];
      const nested = `${path ? `${path}/` : ""}node_modules/${name}`;
      const key = lock.packages[nested] ? nested : `node_modules/${name}`;
      const existing = lock.packages[key];
      if (existing?.os && existing?.cpu) continue;
      const platform = platformOf(name);
      if (existing) {
        lock.packages[key] = { ...existing, ...platform };
        completed.push(`${name}@${existing.version}`);
      } else {
        lock.packages[key] = { version, ...(entry.dev && { dev: true }), optional: true, ...platform };
        added.push(`${name}@${version}`);
      }
    }
  }
  return { added, completed };
}

module.exports = { platformOf, platformBuilds, completeLock };

if (require.main === module) {
  const file = process.argv[2] ?? "package-lock.json";
  const lock = JSON.parse(readFileSync(file, "utf8"));
  const { added, completed } = completeLock(lock);
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  const lines = [
    ...(added.length ? [`added optional platform entries: ${added.join(", ")}`] : []),
    ...(completed.length ? [`added os/cpu to: ${completed.join(", ")}`] : []),
  ];
  process.stdout.write(lines.length ? `${lines.join("\n")}\n` : "lock file complete\n");
}
