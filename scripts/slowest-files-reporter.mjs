// A node:test reporter that prints, once the run ends, the test files that took longest (the sum of
// their top-level tests' durations), so a CI log shows where the suite's time goes without a rerun.
import { Transform } from 'node:stream';

const SHOWN = Number(process.env.CULPRIT_SLOWEST_FILES ?? 15);
const msByFile = new Map();

export default new Transform({
  writableObjectMode: true,
  transform(event, _encoding, done) {
    const { type, data } = event;
    if ((type === 'test:pass' || type === 'test:fail') && data.nesting === 0 && data.file) {
      msByFile.set(data.file, (msByFile.get(data.file) ?? 0) + (data.details?.duration_ms ?? 0));
    }
    done();
  },
  flush(done) {
    const slowest = [...msByFile].sort((a, b) => b[1] - a[1]).slice(0, SHOWN);
    if (SHOWN > 0 && slowest.length > 0) {
      const root = new URL('..', import.meta.url).pathname;
      const lines = slowest.map(([file, ms]) => `  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file.replace(root, '')}`);
      this.push(`\nslowest test files (sum of their top-level tests):\n${lines.join('\n')}\n`);
    }
    done();
  },
});
