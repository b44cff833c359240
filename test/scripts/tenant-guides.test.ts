/** docs/tenants/<app>.md: one guide per application, current with config/ and policies/, with its hand-written part. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { GUIDE_DIR, REGENERATE, guideInputs, renderGuides, withGuide, type GuideInputs } from "../../scripts/tenant-guides";
import { durationSeconds } from "../../config/format-rules";
import { evaluatePolicy } from "../../compliance/iam-policy-evaluator";
import { vaultServerRoleArn } from "../../stacks/vault-backup-stack";
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

describe("tenant guides: AWS credentials", () => {
  it("give every application with awsRoles its creds path and a trust statement that admits only Vault's role", () => {
    for (const config of inputs.configs) {
      for (const app of config.applications.filter((a) => a.awsRoles.length > 0)) {
        const text = rendered.get(join(ROOT, GUIDE_DIR, `${app.name}.md`))!;
        for (const role of app.awsRoles) expect(text).toContain(`vault read ${config.vault.aws!.path}/creds/${role}`);
        // The printed JSON, read back and evaluated: Vault's role of this environment may assume, a neighbour may not.
        const vaultRole = vaultServerRoleArn(config);
        const printed = [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!)).find((d) => JSON.stringify(d).includes(vaultRole));
        expect(printed).toBeDefined();
        const target = config.vault.aws!.roles.find((r) => r.name === app.awsRoles[0])!.roleArns[0]!;
        const as = (id: string) => evaluatePolicy(printed.Statement, { action: "sts:AssumeRole", resource: target, principal: { type: "AWS", id } }).decision;
        expect([as(vaultRole), as(vaultRole.replace(/-server$/, "-snapshot-writer"))]).toEqual(["allow", "implicit-deny"]);
      }
    }
  });
});
