// Preloaded into culprit's own process only (`node -r`, not NODE_OPTIONS, so
// the target does not inherit it): writes the process's peak RSS at exit.
const { writeFileSync } = require('node:fs');

const out = process.env.CULPRIT_BENCH_PEAK_FILE;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS)); // kilobytes
  });
}
