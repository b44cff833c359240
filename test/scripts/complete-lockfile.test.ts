import { readFileSync } from "node:fs";
import { join } from "node:path";
import { completeLock, platformBuilds, platformOf, type Lock } from "../../scripts/complete-lockfile";
import { ROOT } from "../helpers";

const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as Lock;

/** The lock entry npm would use for `name` required from the package at `path`. */
function entryFor(path: string, name: string) {
  return lock.packages[`${path ? `${path}/` : ""}node_modules/${name}`] ?? lock.packages[`node_modules/${name}`];
}

describe("package-lock.json", () => {
  const families = Object.entries(lock.packages).filter(([, e]) => platformBuilds(e).length > 0);

  it("has families of native platform builds (the packages this check is about)", () => {
    expect(families.map(([path]) => path)).toEqual(expect.arrayContaining(["node_modules/@swc/core"]));
  });

  it("gives every platform build os and cpu, so npm ci installs only the builds that fit the machine", () => {
    const wrong: string[] = [];
    for (const [path, entry] of families) {
      for (const name of platformBuilds(entry)) {
        const build = entryFor(path, name);
        const named = platformOf(name);
        if (!build) wrong.push(`${name}: no lock entry`);
        else if (JSON.stringify([build.os, build.cpu]) !== JSON.stringify([named?.os, named?.cpu])) {
          wrong.push(`${name}: os ${JSON.stringify(build.os)} cpu ${JSON.stringify(build.cpu)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("complete-lockfile", () => {
  it("reads os, cpu and libc from a platform build's name", () => {
    expect(platformOf("@swc/core-linux-x64-musl")).toEqual({ os: ["linux"], cpu: ["x64"], libc: ["musl"] });
    expect(platformOf("@unrs/resolver-binding-linux-arm-gnueabihf")).toEqual({ os: ["linux"], cpu: ["arm"], libc: ["glibc"] });
    expect(platformOf("@swc/core-win32-ia32-msvc")).toEqual({ os: ["win32"], cpu: ["ia32"] });
    expect(platformOf("@parcel/watcher-darwin-arm64")).toEqual({ os: ["darwin"], cpu: ["arm64"] });
    expect(platformOf("fsevents")).toBeUndefined();
  });

  it("adds the builds a registry left out, completes version-only entries and keeps full ones", () => {
    const full = { version: "1.0.0", integrity: "sha512-x", optional: true, os: ["linux"], cpu: ["x64"], libc: ["glibc"] };
    const partial: Lock = {
      packages: {
        "": { version: "0.0.0" },
        "node_modules/native": {
          version: "1.0.0",
          dev: true,
          optionalDependencies: { "native-linux-x64-gnu": "1.0.0", "native-darwin-arm64": "1.0.0", "native-win32-x64-msvc": "1.0.0", fsevents: "2.0.0" },
        },
        "node_modules/native-linux-x64-gnu": full,
        "node_modules/native-darwin-arm64": { version: "1.0.0", optional: true },
      },
    };
    const { added, completed } = completeLock(partial);
    expect(added).toEqual(["native-win32-x64-msvc@1.0.0"]);
    expect(completed).toEqual(["native-darwin-arm64@1.0.0"]);
    expect(partial.packages["node_modules/native-linux-x64-gnu"]).toBe(full);
    expect(partial.packages["node_modules/native-darwin-arm64"]).toEqual({ version: "1.0.0", optional: true, os: ["darwin"], cpu: ["arm64"] });
    expect(partial.packages["node_modules/native-win32-x64-msvc"]).toEqual({ version: "1.0.0", dev: true, optional: true, os: ["win32"], cpu: ["x64"] });
    expect(partial.packages["node_modules/fsevents"]).toBeUndefined();
  });
});
