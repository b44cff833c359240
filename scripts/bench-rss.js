// Preloaded by the benchmark into each measured process: when it exits, writes its peak RSS (KiB) and the CPU time
// it used (user + system, microseconds) as JSON. CPU time is what to compare on a busy machine, where wall time
// also counts the time spent waiting for a core.
const { writeFileSync } = require("node:fs");
const target = process.env.BENCH_RSS_FILE;
process.on("exit", () => {
  if (!target) return;
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  writeFileSync(target, JSON.stringify({ maxRssKb: maxRSS, cpuUs: userCPUTime + systemCPUTime }));
});
