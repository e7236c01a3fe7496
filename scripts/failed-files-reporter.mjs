// A node:test reporter that prints nothing: it writes the test files that had a failing test, one per
// line, to the path in CULPRIT_FAILED_FILES, so scripts/run-tests.mjs can run them again on their own.
import { writeFileSync } from 'node:fs';
import { Transform } from 'node:stream';

const failed = new Set();

export default new Transform({
  writableObjectMode: true,
  transform(event, _encoding, done) {
    if (event.type === 'test:fail' && event.data.file) failed.add(event.data.file);
    done();
  },
  flush(done) {
    if (process.env.CULPRIT_FAILED_FILES) writeFileSync(process.env.CULPRIT_FAILED_FILES, [...failed].join('\n'));
    done();
  },
});
