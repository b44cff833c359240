/** docs/tenants/<app>.md: one guide per application, current with config/ and policies/, with its hand-written part. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { GUIDE_DIR, REGENERATE, guideInputs, renderGuides, withGuide, type GuideInputs } from "../../scripts/tenant-guides";
import { durationSeconds } from "../../config/formats";
import { configFor, ROOT } from "../helpers";

let inputs: GuideInputs;
let rendered: Map<string, string>;
beforeAll(async () => {
  inputs = await guideInputs(join(ROOT, "config"), join(ROOT, "policies"));
  rendered = renderGuides(inputs, ROOT);
});

describe("tenant guides", () => {
  it(`are current (regenerate with \`${REGENERATE}\`)`, () => {
    const stale = [...rendered].filter(([path, text]) => readFileSync(path, "utf8") !== text).map(([path]) => relative(ROOT, path));
    expect({ stale, regenerate: stale.length ? REGENERATE : undefined }).toEqual({ stale: [], regenerate: undefined });
  });

  it("exist for every application of every config, and for nothing else", () => {
    const apps = [...new Set(["dev", "prod"].flatMap((env) => configFor(env as "dev" | "prod").applications.map((a) => `${a.name}.md`)))].sort();
    expect(readdirSync(join(ROOT, GUIDE_DIR)).sort()).toEqual(apps);
  });

  // The four systems the platform was specified from (DESIGN.md): their documents' set-up steps are known.
  it.each(["checktick", "phoenix-guardian", "config-service", "voicehive"])("%s's guide keeps its hand-written part: what the platform replaces of its own set-up", (app) => {
    const path = join(ROOT, GUIDE_DIR, `${app}.md`);
    const text = rendered.get(path)!;
    expect([relative(ROOT, path), /\n## What the platform replaces of .+\n/.test(text.split("<!-- tenant-guide:end -->")[1] ?? "")]).toEqual([relative(ROOT, path), true]);
  });

  it("advise renewing every application's token before its TTL runs out, unless an agent renews it", () => {
    for (const config of inputs.configs) {
      for (const app of config.applications) {
        const text = rendered.get(join(ROOT, GUIDE_DIR, `${app.name}.md`))!;
        const every = /at most every (\d+) minutes \(two thirds of ([^)]+)\)/.exec(text);
        const agent = app.auth.method === "kubernetes" && app.auth.vaultAgent !== undefined;
        expect([app.name, agent ? /the agent renews its token/.test(text) : Number(every?.[1]) * 60 < durationSeconds(app.auth.tokenTtl)]).toEqual([app.name, true]);
      }
    }
  });

  it("fails if the markers are gone (the hand-written part cannot be told apart)", () => {
    expect(() => withGuide("# edited by hand\n", "x")).toThrow(/tenant-guide markers not found/);
  });
});
