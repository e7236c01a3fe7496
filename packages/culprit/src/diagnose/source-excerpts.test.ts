import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excerptReader, excerptsOf } from './source-excerpts.js';
import { capture, request } from './test-support/captures.js';

const file = '/app/src/overview.js';
const source = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n');

test('a capture keeps the lines around its operations, and reads them back without opening a file', () => {
  const at = (line: number) => ({ file, line, column: 5, functionName: 'overview' });
  const traced = capture([
    request({
      http: [
        {
          startMs: 0,
          durationMs: 5,
          client: 'fetch',
          method: 'GET',
          origin: 'http://h',
          path: '/a',
          url: '/a',
          location: at(100),
        },
        {
          startMs: 5,
          durationMs: 5,
          client: 'fetch',
          method: 'GET',
          origin: 'http://h',
          path: '/b',
          url: '/b',
          location: at(110),
          stack: [at(110), { file: '/app/node_modules/got/x.js', line: 3, column: 1, package: 'got' }],
        },
      ],
    }),
  ]);
  const read: string[] = [];
  const excerpts = excerptsOf(traced, (path) => {
    read.push(path);
    return path === file ? source : undefined;
  });
  assert.deepEqual(read, [file], "only the app's own files are read");
  assert.deepEqual(
    excerpts.map((e) => [e.startLine, e.lines.length]),
    [[60, 91]],
    "the two lines' surroundings merged into one excerpt",
  );
  const text = excerptReader(excerpts)(file)?.split('\n') ?? [];
  assert.equal(text[99], 'line 100');
  assert.equal(text[20], '', 'lines not kept read as blank');
  assert.equal(excerptReader(excerpts)('/etc/passwd'), undefined);
  assert.equal(
    excerptReader([{ file: 3, startLine: 'x', lines: null } as never])(file),
    undefined,
    'malformed input is skipped',
  );
});
