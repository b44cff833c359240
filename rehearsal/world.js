// The world the rehearsed workflows act on, shared by the workflow runner (TypeScript) and the stand-in
// executables in rehearsal/bin (plain CommonJS, so each starts in a few milliseconds): GitHub (runs, their
// artifacts, pull requests, issues, secrets written by `gh secret set`), the Terraform states the stand-in
// `terraform` reads and writes, the network zones, and a log of every call a stand-in served.
// One directory, named by REHEARSAL_WORLD; every file in it is JSON.
const { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

function worldDir() {
  const dir = process.env.REHEARSAL_WORLD;
  if (!dir) throw new Error("REHEARSAL_WORLD is not set: stand-ins run only inside a rehearsal");
  return dir;
}

function readJson(name, fallback) {
  const file = join(worldDir(), name);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : fallback;
}

function writeJson(name, value) {
  const file = join(worldDir(), name);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
}

/** Appends one served call to log.jsonl, with the job and zone it ran in. */
function record(tool, detail) {
  const entry = { tool, run: process.env.GITHUB_RUN_ID || "", job: process.env.REHEARSAL_JOB || "", zone: process.env.REHEARSAL_ZONE || "", ...detail };
  appendFileSync(join(worldDir(), "log.jsonl"), JSON.stringify(entry) + "\n");
}

function readLog(dir) {
  const file = join(dir, "log.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

/**
 * Whether a host can be reached from the zone a job runs in. GitHub-hosted runners resolve names through public
 * DNS only: a Kubernetes service name (`<svc>.<ns>.svc`, `*.svc.cluster.local`, or a bare name resolved by the
 * pod's search path) exists only inside the cluster, so from "hosted" it is `no such host`. A runner of the
 * in-cluster scale set ("cluster") resolves both. Loopback is the runner itself.
 */
function reachable(zone, host) {
  const h = String(host).toLowerCase().replace(/\.$/, "");
  const inCluster = /\.svc(\.cluster\.local)?$/.test(h) || (!h.includes(".") && h !== "localhost");
  if (!inCluster) return true;
  return zone === "cluster";
}

/** Throws what Go's resolver prints when the host is not reachable from this job's zone. */
function dial(host, port) {
  const zone = process.env.REHEARSAL_ZONE || "hosted";
  if (reachable(zone, host)) return;
  throw new Error(`dial tcp: lookup ${host} on 127.0.0.53:53: no such host (a ${zone} runner cannot reach ${host}:${port}; it resolves only inside the cluster)`);
}

module.exports = { worldDir, readJson, writeJson, record, readLog, reachable, dial };
