import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundleLinesOf, isApplicationLine, noteBundleLines } from './bundle-lines.js';
import { firstApplicationFrame } from './frame-source.js';

const text = [
  'var __commonJS = (cb, mod) => 0;', // 0: runtime
  '// ../node_modules/pg-pool/index.js', // 1
  'var require_pg_pool = __commonJS({', // 2
  '  // an indented comment is not a marker', // 3
  '});', // 4
  '// src/books.ts', // 5
  'var pool = new import_pg.Pool();', // 6
  '// Annotate the CommonJS export names for ESM import in node:', // 7
  '0 && (module.exports = {});', // 8
].join('\n');

test("esbuild's file markers tell the app's lines from its dependencies' and the runtime's", () => {
  const lines = bundleLinesOf(text);
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 7, 8].map((line) => isApplicationLine(lines, line)),
    [false, false, false, false, false, true, true, true, true],
  );
});

test('the first application frame of a bundle the probe noted is the first on an app line', () => {
  const url = `/tmp/bundle-lines-${process.pid}/server.js`;
  noteBundleLines(url, bundleLinesOf(text));
  const frames = [
    { url, line: 2, column: 4 },
    { url, line: 6, column: 2 },
  ];
  assert.equal(firstApplicationFrame(frames), frames[1]);
});
