/**
 * .github/workflows/restore-drill.yml: scheduled quarterly and on demand, one job per environment on that
 * environment's in-cluster runner, as the configs say; its drill step's script run for real (bash, the real
 * `npm run restore-drill-manifest` and scripts/restore-drill.sh) with stand-ins for kubectl, aws and vault on PATH,
 * ending in the result file the artifact step uploads. (The workflow as a whole is rehearsed by rehearsal/.)
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { standInDirs } from "../../rehearsal/stand-in-tools";
import { parse } from "yaml";
import { configFor, ROOT } from "../helpers";

const wf = parse(readFileSync(join(ROOT, ".github/workflows/restore-drill.yml"), "utf8"));
const job = wf.jobs.drill;
const step = (name: RegExp) => job.steps.find((s: any) => name.test(s.name ?? ""));
const ENVS = ["dev", "prod"] as const;

describe("restore-drill workflow", () => {
  it("runs on the drill schedule of the configs and on demand for one environment", () => {
    const schedules = new Set(ENVS.map((e) => configFor(e).cluster.restoreDrill.schedule));
    expect([...schedules]).toHaveLength(1);
    expect(wf.on.schedule).toEqual([{ cron: [...schedules][0] }]);
    expect(wf.on.workflow_dispatch.inputs.environment.options).toEqual([...ENVS]);
    expect(wf.permissions).toEqual({ contents: "read" });
  });

  // Which environments run, and on which runner, is rehearsed: test/rehearsal/restore-drill-workflow.test.ts.

  it("keeps the result as an artifact whatever the outcome, and wipes the scratch Vault", () => {
    const upload = job.steps.find((s: any) => s.uses === "actions/upload-artifact@v4");
    expect(upload).toMatchObject({ if: "always()", with: { name: "restore-drill-${{ matrix.environment }}", path: job.env.RESULT_FILE } });
    expect(step(/^Wipe the scratch Vault/).if).toBe("always()");
    const steps = job.steps.map((s: any) => s.name ?? s.uses);
    expect(steps.indexOf(step(/^Scratch namespace/).name)).toBeLessThan(steps.indexOf(step(/^Drill/).name));
  });

  it("drill step: derives the arguments from the config, checks isolation, restores and writes the result (prod)", () => {
    const config = configFor("prod");
    const dirs = standInDirs("drill-wf-");
    const { dir, bin, pod } = dirs;
    const log = join(dir, "calls.log");
    const tool = (at: string, name: string, body: string) => dirs.tool(at, name, `#!/usr/bin/env bash\n${body}\n`);
    // The scratch pod's network: only KMS answers (the namespace's policy lets no database port out).
    dirs.tool(pod, "nc", `#!/bin/sh\n[ "$3:$4" = "kms.${config.aws.region}.amazonaws.com:443" ]\n`);
    tool(
      bin,
      "kubectl",
      `args="$*"; echo "kubectl \${args//$'\\n'/ }" >> "${log}"
case "$*" in
  *"create token vault-restore-drill --audience sts.amazonaws.com"*) echo aws-web-identity-token ;;
  *"create token vault-restore-drill --audience vault"*) echo vault-jwt ;;
  *"get secret vault-tls"*) printf 'CA' | base64 ;;
  *"exec vault-drill-0 -c vault -- vault operator init"*) echo '{"root_token":"scratch-root"}' ;;
  *"exec vault-drill-0 -c vault -- sh -c"*) shift 7; exec env PATH="${pod}" "$@" ;;
  *) exit 1 ;;
esac`,
    );
    const content = "raft snapshot bytes";
    const sha = createHash("sha256").update(content).digest("base64");
    tool(
      bin,
      "aws",
      `echo "aws $* role=$AWS_ROLE_ARN token=$(cat "$AWS_WEB_IDENTITY_TOKEN_FILE")" >> "${log}"
case "$*" in
  *list-objects-v2*) echo "raft-snapshots/prod/vault-20261001T050000Z.snap" ;;
  *get-object*) printf '%s' "${content}" > "\${@: -1}"; echo '{}' ;;
  *head-object*) echo "${sha}" ;;
esac`,
    );
    tool(bin, "vault", `echo "vault $* token=$VAULT_TOKEN cacert=$(cat "$VAULT_CACERT")" >> "${log}"\ncase "$*" in *login*) echo restored-token ;; "kv get"*) echo 2026-01-01T00:00:00Z ;; esac`);
    const r = spawnSync("bash", ["-e", "-c", step(/^Drill/).run], {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        // Not the real home: bash reads ~/.bashrc when its stdin is a socket (as under node), which may reorder PATH.
        HOME: dir,
        ENVIRONMENT: "prod",
        RESULT_FILE: join(dir, "result.json"),
        RUNNER_TEMP: dir,
        AWS_ROLE_ARN: "arn:aws:iam::222222222222:role/vault-prod-restore",
        VAULT_NAMESPACE: config.cluster.namespace,
      },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const calls = readFileSync(log, "utf8").trim().split("\n");
    const db = `${config.vault.database!.connections[0].host} ${config.vault.database!.connections[0].port}`;
    expect(calls.some((c) => c.startsWith(`kubectl -n ${config.cluster.restoreDrill.namespace} exec vault-drill-0 -c vault -- sh -c`) && c.endsWith(db))).toBe(true);
    expect(calls.find((c) => c.startsWith("aws"))).toMatch(/role=arn:aws:iam::222222222222:role\/vault-prod-restore token=aws-web-identity-token$/);
    expect(calls.find((c) => c.includes("snapshot restore"))).toMatch(/token=scratch-root cacert=CA$/);
    expect(calls.find((c) => c.startsWith("vault write"))).toContain(`jwt=@${dir}/vault-jwt`);
    expect(existsSync(join(dir, "result.json"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "result.json"), "utf8"))).toMatchObject({
      environment: "prod",
      verdict: "pass",
      snapshot_taken_at: "2026-10-01T05:00:00Z",
      canary_read: true,
      databases_unreachable: config.vault.database!.connections.map((c) => `${c.host}:${c.port}`),
    });
  });
});
