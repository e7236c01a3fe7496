// `--require` preload for cpu-accounting.mjs --gc: the server's garbage collections, by kind, and the
// milliseconds they took, written to CULPRIT_GC_TALLY_DIR/<pid>.json at each SIGUSR2 (the bench reads it
// before and after the measured requests). The same observer runs in every mode, so its own cost cancels.
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const kinds = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
};
const tally = { minor: 0, major: 0, incremental: 0, weak: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = kinds[entry.detail?.kind ?? entry.kind] ?? 'weak';
    tally[kind] += 1;
    tally.ms += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });
const dir = process.env.CULPRIT_GC_TALLY_DIR;
if (dir) {
  process.on('SIGUSR2', () => {
    const { heapUsed, heapTotal } = process.memoryUsage();
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ ...tally, heapUsed, heapTotal }));
  });
}
