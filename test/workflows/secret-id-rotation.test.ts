/**
 * The generated secret-ID rotation workflows: up to date with the config, scheduled as configured, logging in as
 * the rotator whose JWT role is bound to exactly this file, and asking for a response-wrapped secret ID.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { rotationWorkflows, WORKFLOW_DIR, workflowFile } from "../../scripts/secret-id-workflows";
import { configFor, ROOT } from "../helpers";

const configs = [configFor("dev"), configFor("prod")];
const rotated = configs.flatMap((config) =>
  config.applications.flatMap((app) => (app.auth.method === "approle" && app.auth.secretIdRotation ? [{ config, app, auth: app.auth, rotation: app.auth.secretIdRotation }] : [])),
);

describe("secret-ID rotation workflows", () => {
  it("are the current rendering of the config (run `npm run workflows`), with none left over", () => {
    const expected = rotationWorkflows(configs);
    const committed = readdirSync(join(ROOT, WORKFLOW_DIR)).filter((f) => /^rotate-.+-secret-id\.yml$/.test(f));
    expect(committed.sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) expect([file, readFileSync(join(ROOT, WORKFLOW_DIR, file), "utf8")]).toEqual([file, text]);
  });

  it("exist for every rotated AppRole application (CheckTick ships with one)", () => {
    expect(rotated.map((r) => r.app.name)).toContain("checktick");
  });

  it.each(rotated.map((r) => [`${r.config.environment} ${r.app.name}`, r] as const))("run %s on its schedule and on demand, as its rotator, wrapped", (_name, r) => {
    const wf = parse(readFileSync(join(ROOT, WORKFLOW_DIR, workflowFile(r.app.name)), "utf8"));
    expect(wf.on.schedule).toContainEqual({ cron: r.rotation.schedule });
    expect(wf.on).toHaveProperty("workflow_dispatch");
    expect(wf.permissions).toEqual({ contents: "read" });
    const job = wf.jobs[`rotate-${r.config.environment}`];
    const rotator = r.config.platform.find((p) => p.name === r.rotation.rotator)!;
    if (rotator.auth.method !== "jwt") throw new Error("rotator must be jwt");
    // The job runs where the rotator's role lets it log in: this file, on the bound ref, in the bound environment.
    expect(job.environment).toBe(rotator.auth.boundClaims.environment);
    expect(rotator.auth.boundClaims.workflow_ref).toBe(`${rotator.auth.boundClaims.repository}/${WORKFLOW_DIR}/${workflowFile(r.app.name)}@${rotator.auth.boundClaims.ref}`);
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    const login = job.steps.find((s: any) => String(s.uses).startsWith("hashicorp/vault-action@"));
    expect(login.with).toMatchObject({ method: "jwt", path: r.config.vault.auth.jwt.path, role: rotator.auth.role, jwtGithubAudience: rotator.auth.boundAudiences[0] });
    const script = job.steps.find((s: any) => String(s.run).includes("curl")).run;
    expect(script).toContain(`"$VAULT_ADDR/v1/auth/${r.config.vault.auth.approle.path}/role/${r.auth.role}/secret-id"`);
    expect(script).toMatch(/-H "X-Vault-Wrap-TTL: \d+s"/);
    expect(script).toContain("jq -er .wrap_info.token");
    expect(script).toContain(`gh secret set ${r.rotation.deliverTo.secret} --repo ${r.rotation.deliverTo.repository} --env ${r.rotation.deliverTo.environment}`);
    // The wrapping token never lands in a variable, an output or the log.
    expect(script).not.toMatch(/GITHUB_OUTPUT|echo .*wrap|secret_id"/);
  });
});
