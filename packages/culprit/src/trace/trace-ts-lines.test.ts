// --log / --when FILE:LINE on TypeScript (tsx), end to end: a line fires in
// its own function or is refused, an ambiguous file is an error, and a
// condition that throws or never holds is said in a note.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../capture/types.js';
import { main } from '../cli/main.js';
import { recordingIo } from '../cli/test-support/recording-io.js';

const cwd = fileURLToPath(new URL('../../../../fixtures/trace-ts-lines/', import.meta.url));

async function trace(...flags: string[]): Promise<{ code: number; stdout: string; stderr: string; capture?: Capture }> {
  const io = recordingIo(cwd);
  const code = await main(['trace', '--app', 'app.ts', 'GET', '/?n=2', '--no-constructions', '--json', ...flags], io);
  const stdout = io.out();
  return { code, stdout, stderr: io.err(), ...(code === 0 ? { capture: JSON.parse(stdout) as Capture } : {}) };
}

describe('FILE:LINE on TypeScript', { concurrency: true }, () => {
  test('a comment line inside a function fires there, on the next line with code', async () => {
    const { code, capture } = await trace('--log', 'app.ts:21 out.length, shelf.rows.length');
    assert.equal(code, 0);
    // line 22 is a for-of loop: V8 stops there once per step of the loop
    const [first] = capture?.logs ?? [];
    assert.deepEqual([first?.values, first?.location?.line], [['0', '2'], 22]);
  });

  test("a function's first line fires in that function, not in the end of the class before it", async () => {
    // tsx emits `…}}function names(` on one line: V8's first stop there is the class's end
    const { code, capture } = await trace('--log', 'app.ts:19 shelf.rows.length');
    assert.equal(code, 0);
    assert.deepEqual(
      capture?.logs?.map((hit) => [hit.values, hit.location?.line]),
      [[['2'], 19]],
    );
  });

  test('a blank line between two functions is refused, naming the next code line', async () => {
    const { code, stderr } = await trace('--log', 'app.ts:18 out');
    assert.equal(code, 2);
    assert.match(stderr, /line 18 has no code .* the next code, line 19, is in another function/);
  });

  test('a file name that matches two loaded files is an error listing both; more of the path picks one', async () => {
    const ambiguous = await trace('--log', 'util.ts:3 prefix');
    assert.equal(ambiguous.code, 2);
    assert.match(
      ambiguous.stderr,
      /CULPRIT_E_AMBIGUOUS_LOG_TARGET: 'util\.ts' names 2 loaded files .*a\/util\.ts, b\/util\.ts; give more of the path/,
    );
    const one = await trace('--log', 'b/util.ts:3 prefix');
    assert.equal(one.code, 0);
    assert.deepEqual(
      one.capture?.logs?.map((hit) => hit.values[0]),
      ['b', 'b'],
    );
  });

  test('a --when condition that throws on every hit is a note, not silence', async () => {
    const { code, capture } = await trace('--when', 'app.ts:22 shelve.rows.length > 1');
    assert.equal(code, 0);
    assert.deepEqual(capture?.stops, []);
    const notes = capture?.notes?.join('\n') ?? '';
    assert.match(
      notes,
      /'app\.ts:22 shelve\.rows\.length > 1': the condition threw on 3 of 3 hits \(ReferenceError: shelve is not defined\), so it never held/,
    );
  });

  test('a --when condition that never holds says so', async () => {
    const { code, capture } = await trace('--when', 'b/util.ts:3 id > 99');
    assert.equal(code, 0);
    assert.match(capture?.notes?.join('\n') ?? '', /'b\/util\.ts:3 id > 99': the condition never held in 2 hits/);
  });
});
