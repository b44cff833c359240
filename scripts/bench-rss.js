// Preloaded by the benchmark into each measured process: writes the process's peak RSS (KiB) when it exits.
const { writeFileSync } = require("node:fs");
const target = process.env.BENCH_RSS_FILE;
process.on("exit", () => {
  if (target) writeFileSync(target, String(process.resourceUsage().maxRSS));
});
