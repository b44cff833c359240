/**
 * scripts/restore-drill.sh refuses to start unless it has checked, from inside the scratch Vault's pod, that every
 * tenant database is unreachable, and records its result as JSON. `kubectl` on PATH is a stand-in for
 * `kubectl -n NS exec POD -c vault -- sh -c SCRIPT ARGS`: it refuses another namespace or pod as the API server would
 * (NotFound), and runs the probe with the pod's tools only (a stand-in `nc` that connects to what the test says the
 * network lets through; no `nc` at all in one case). The databases come from the synthesized configs.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configFor, ROOT } from "../helpers";
import { standInDirs } from "../../rehearsal/stand-in-tools";

const SCRIPT = join(ROOT, "scripts", "restore-drill.sh");

interface Setup {
  readonly dir: string;
  readonly log: string;
  readonly result: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Stand-ins: kubectl (exec into the scratch pod), the pod's sh and nc, aws and vault for the steps after. */
function setup(opts: { reachable: string[]; podHasNc?: boolean }): Setup {
  const { dir, bin, pod, tool } = standInDirs("drill-iso-");
  const log = join(dir, "calls.log");
  // nc -w 3 HOST PORT: connects (exit 0) only to what the network lets through.
  if (opts.podHasNc !== false) tool(pod, "nc", `#!/bin/sh\ncase " $REACHABLE " in *" $3:$4 "*) exit 0 ;; esac\nexit 1\n`);
  tool(
    bin,
    "kubectl",
    `#!/usr/bin/env bash
args="$*"; echo "kubectl \${args//$'\\n'/ }" >> "${log}"
# kubectl -n NS exec POD -c CONTAINER -- COMMAND...
[[ "$1 $3 $5 $7" == "-n exec -c --" ]] || { echo "stand-in kubectl: unexpected arguments: $*" >&2; exit 2; }
[[ "$2" == "$SCRATCH_NS" && "$4" == vault-drill-0 && "$6" == vault ]] || { echo "Error from server (NotFound): pods \\"$4\\" not found" >&2; exit 1; }
shift 7
exec env PATH="${pod}" REACHABLE="$REACHABLE" "$@"
`,
  );
  const content = "raft snapshot bytes";
  const sha = createHash("sha256").update(content).digest("base64");
  tool(
    bin,
    "aws",
    `#!/usr/bin/env bash
echo "aws $*" >> "${log}"
case "$*" in
  *list-objects-v2*) echo "raft-snapshots/prod/vault-20261201T030000Z.snap" ;;
  *get-object*) printf '%s' "${content}" > "\${@: -1}"; echo '{}' ;;
  *head-object*) echo "${sha}" ;;
esac
`,
  );
  tool(bin, "vault", `#!/usr/bin/env bash\necho "vault $*" >> "${log}"\ncase "$*" in *login*) echo restored-token ;; "kv get"*) echo 2026-01-01T00:00:00Z ;; esac\n`);
  return {
    dir,
    log,
    result: join(dir, "result.json"),
    env: { PATH: `${bin}:${process.env.PATH}`, VAULT_TOKEN: "scratch-root", SCRATCH_NS: "vault-restore-drill", REACHABLE: opts.reachable.join(" ") },
  };
}

const config = configFor("prod");
const databases = (config.vault.database?.connections ?? []).map((c) => `${c.host}:${c.port}`);
const KMS = `kms.${config.aws.region}.amazonaws.com:443`;

function drill(s: Setup, extra: string[] = []) {
  const args = [
    "--env", "prod", "--bucket", config.backup.bucket, "--region", config.aws.region,
    "--vault-addr", `https://vault-drill.${config.cluster.restoreDrill.namespace}.svc:8200`,
    "--scratch-namespace", config.cluster.restoreDrill.namespace,
    ...databases.flatMap((d) => ["--database", d]),
    "--workdir", s.dir, "--result-file", s.result, ...extra,
  ];
  const r = spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8", env: s.env });
  const calls = existsSync(s.log) ? readFileSync(s.log, "utf8").trim().split("\n") : [];
  return { ...r, calls, result: existsSync(s.result) ? JSON.parse(readFileSync(s.result, "utf8")) : undefined };
}

describe("restore drill isolation check", () => {
  it("checks every tenant database of the config from the scratch pod, then runs the drill and records a pass", () => {
    expect(databases.length).toBeGreaterThan(0);
    const s = setup({ reachable: [KMS] });
    const r = drill(s);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const kubectl = r.calls.filter((c) => c.startsWith("kubectl"));
    expect(kubectl.map((c) => c.split(" -- ")[0])).toEqual(
      [...databases, KMS].map(() => `kubectl -n ${config.cluster.restoreDrill.namespace} exec vault-drill-0 -c vault`),
    );
    // The isolation check comes before anything touches a snapshot.
    expect(r.calls.findIndex((c) => c.startsWith("aws"))).toBeGreaterThan(r.calls.lastIndexOf(kubectl[kubectl.length - 1]));
    expect(r.result).toEqual({
      environment: "prod",
      finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      verdict: "pass",
      step: "done",
      databases_unreachable: databases,
      snapshot_key: "raft-snapshots/prod/vault-20261201T030000Z.snap",
      snapshot_taken_at: "2026-12-01T03:00:00Z",
      restore_seconds: expect.any(Number),
      canary_read: true,
      dry_run: false,
    });
  });

  it("refuses to start when a tenant database is reachable from the scratch pod, touching no snapshot", () => {
    const s = setup({ reachable: [KMS, databases[0]] });
    const r = drill(s);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`refused: ${databases[0]} is reachable from ${config.cluster.restoreDrill.namespace}/vault-drill-0`);
    expect(r.calls.filter((c) => !c.startsWith("kubectl"))).toEqual([]);
    expect(r.result).toMatchObject({ verdict: "refused", step: "isolation", snapshot_key: "", canary_read: false, restore_seconds: null });
  });

  it("refuses when the check cannot be made: no probe in the pod, the pod not found, or a probe that reaches nothing", () => {
    const noNc = drill(setup({ reachable: [KMS], podHasNc: false }));
    expect([noNc.status, noNc.stderr]).toEqual([3, expect.stringMatching(/refused: could not check .* \(got: NO-PROBE\)/)]);
    const elsewhere = setup({ reachable: [KMS] });
    const wrongPod = drill(elsewhere, ["--scratch-pod", "other-0"]);
    expect([wrongPod.status, wrongPod.stderr]).toEqual([3, expect.stringMatching(/refused: could not check .* \(got: nothing\)/)]);
    const blind = drill(setup({ reachable: [] }));
    expect([blind.status, blind.stderr]).toEqual([3, expect.stringMatching(/refused: the probe cannot reach kms\..*so its no for the databases proves nothing/)]);
    for (const r of [noNc, wrongPod, blind]) expect(r.calls.some((c) => c.startsWith("aws") || c.startsWith("vault"))).toBe(false);
  });

  it("records a failed step with its name", () => {
    const s = setup({ reachable: [KMS] });
    writeFileSync(join(s.dir, "bin", "vault"), `#!/usr/bin/env bash\ncase "$*" in *"snapshot restore"*) exit 1 ;; esac\n`);
    const r = drill(s);
    expect(r.status).not.toBe(0);
    expect(r.result).toMatchObject({ verdict: "fail", step: "restore", snapshot_taken_at: "2026-12-01T03:00:00Z", canary_read: false });
  });

  it("fails if the scratch Vault is not in the scratch namespace, or the databases are not stated", () => {
    const s = setup({ reachable: [KMS] });
    const bad = spawnSync(
      "bash",
      [SCRIPT, "--env", "prod", "--bucket", config.backup.bucket, "--vault-addr", `https://vault-active.${config.cluster.namespace}.svc:8200`, "--scratch-namespace", config.cluster.restoreDrill.namespace],
      { encoding: "utf8", env: s.env },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--vault-addr must be a service in the scratch namespace/);
    expect(bad.stderr).toMatch(/--database HOST:PORT is required for every tenant database \(or --no-databases/);
  });
});
