// Preloaded (node --import) into the installed CLI's process by bench:import: at exit it writes the process's peak
// resident memory (the kernel's, worker threads included) and CPU seconds to BENCH_RSS_FILE, so that the figure is
// the program's own, with nothing of the benchmark in the process.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (!process.env.BENCH_RSS_FILE) return;
  const usage = process.resourceUsage();
  writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ peakMB: usage.maxRSS / 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
});
