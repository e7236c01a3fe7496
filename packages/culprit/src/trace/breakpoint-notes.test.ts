import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakpointNotes } from './breakpoint-notes.js';
import { parseLogSpec, parseWhenSpec } from './log-spec.js';

const when = parseWhenSpec('src/a.ts:3 row.id === 7');
const log = parseLogSpec('src/a.ts:9 x');
const summary = (spec: string, hits: number, extra: object = {}) => ({
  spec,
  hits,
  recorded: hits,
  overheadMs: 1,
  ...extra,
});

test('every way a spec comes back empty-handed is a note', () => {
  const notes = breakpointNotes(
    [when, log],
    [summary(when.text, 4, { errors: 4, firstError: 'ReferenceError: row is not defined' }), summary(log.text, 0)],
    [],
  );
  assert.deepEqual(notes.slice(1), [
    "'src/a.ts:3 row.id === 7': the condition threw on 4 of 4 hits (ReferenceError: row is not defined), so it never held; compiled code may name a local differently (esbuild renames shadowed ones: where → where2)",
    "'src/a.ts:9 x': 0 breakpoint hits, about 1 ms of overhead in the timings",
    "'src/a.ts:9 x': never reached during the requests (no breakpoint hit)",
  ]);
  assert.match(breakpointNotes([when], [summary(when.text, 5)], []).join('\n'), /the condition never held in 5 hits/);
  const matched = breakpointNotes([when], [summary(when.text, 5)], [{ spec: when.text, frames: [] }]);
  assert.equal(matched.length, 1, 'a --when that held: only its cost');
});
