// Run after `npm install` changes package-lock.json: `node scripts/complete-lockfile.js`.
//
// The npm registry these machines reach serves only some platform builds of packages that ship native binaries as
// optional dependencies (@swc/core-*, @unrs/resolver-binding-*): the darwin and win32 builds answer 404. `npm install`
// then leaves those optional packages out of the lock file, and `npm ci` refuses a lock that lacks a dependency
// some package declares. This adds a version-only, optional entry for each such package, which is what `npm ci`
// needs: it skips an optional package it cannot fetch or that does not fit the platform. On a registry that
// serves every build, `npm install` writes the full entries itself and this finds nothing to add.
const { readFileSync, writeFileSync } = require("node:fs");

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ""}node_modules/${name}`;
    if (lock.packages[`node_modules/${name}`] || lock.packages[nested]) continue;
    lock.packages[`node_modules/${name}`] = { version, ...(entry.dev && { dev: true }), optional: true };
    added.push(`${name}@${version}`);
  }
}
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(added.length ? `added optional lock entries: ${added.join(", ")}\n` : "lock file complete\n");
