import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../capture/types.js';
import { attachSnippets, SNIPPET_LINE_WIDTH } from './snippets.js';

const finding = (line: number, column: number): Finding =>
  ({
    rule: 'n-plus-one',
    severity: 'warning',
    title: 'N+1',
    location: { file: '/app/route.js', line, column },
  }) as Finding;

test('source lines around the location, as written', () => {
  const text = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n');
  const [withCode] = attachSnippets([finding(5, 1)], () => text);
  assert.deepEqual(withCode?.snippet, {
    startLine: 2,
    lines: ['line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8'],
  });
});

test('a minified bundle line is cut to a window around the column, marked with …', () => {
  const bundle = `${'a=1;'.repeat(5_000)}for(let a of b){let c=await q("SELECT 1")}${'z=2;'.repeat(5_000)}`;
  const column = bundle.indexOf('await q') + 1;
  const [withCode] = attachSnippets([finding(1, column)], () => `${bundle}\nmodule.exports=c`);
  const lines = withCode?.snippet?.lines ?? [];
  assert.equal(lines.length, 2);
  assert.ok((lines[0]?.length ?? 0) <= SNIPPET_LINE_WIDTH + 2, `cut to the width: ${lines[0]?.length}`);
  assert.match(lines[0] ?? '', /^….*await q\("SELECT 1"\).*…$/);
  assert.equal(lines[1], 'module.exports=c', 'a short line stays whole');
});
