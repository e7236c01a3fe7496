// culprit trace --log / --when end to end (the probe's breakpoint agent in the target).
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../capture/types.js';
import { main } from '../cli/main.js';

const cwd = fileURLToPath(new URL('../../../../fixtures/trace-express/', import.meta.url));

async function culprit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (chunk: Buffer) => {
    chunks.out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    chunks.err += chunk.toString();
  });
  const code = await main(args, { stdout, stderr, env: process.env, cwd, signal: new AbortController().signal });
  return { code, stdout: chunks.out, stderr: chunks.err };
}

test('--log prints each construction with its request; --json carries the hits', async () => {
  const { code, stdout } = await culprit([
    'trace',
    '--app',
    'app.js',
    'GET',
    '/items?n=5',
    '-n',
    '2',
    '--log',
    'Ephemeron#constructor args[0]',
    '--json',
  ]);
  assert.equal(code, 0);
  const capture = JSON.parse(stdout) as Capture;
  assert.deepEqual(
    capture.logs?.map((hit) => [hit.requestId, hit.values.join()]),
    [
      [1, '0'],
      [1, '1'],
      [1, '2'],
      [1, '3'],
      [1, '4'],
      [2, '0'],
      [2, '1'],
      [2, '2'],
      [2, '3'],
      [2, '4'],
    ],
  );
  assert.match(capture.notes?.join('\n') ?? '', /10 breakpoint hits/);
});

test('--when captures the stack, code and locals where the condition first holds', async () => {
  const { code, stdout } = await culprit([
    'trace',
    '--app',
    'app.js',
    'GET',
    '/items?n=30',
    '--when',
    'Ephemeron#constructor args[0] === 20',
  ]);
  assert.equal(code, 0);
  assert.match(stdout, /--when 'Ephemeron#constructor args\[0\] === 20' held in request #1 after 20 non-matching hits/);
  assert.match(stdout, /at Ephemeron \(app\.js:7\)\n\s+this\.id = id;/);
  assert.match(stdout, /id = 20/);
  assert.match(stdout, /results\.push\(new Ephemeron\(i\)\)/, "the caller frame: the story's `up`");
});

test('an unknown class: exit 2 naming the closest classes', async () => {
  const { code, stderr } = await culprit([
    'trace',
    '--app',
    'app.js',
    'GET',
    '/items',
    '--when',
    'Ephemeral#constructor args[0] === 1',
  ]);
  assert.equal(code, 2);
  assert.match(stderr, /CULPRIT_E_UNKNOWN_LOG_TARGET: .*closest class names: Ephemeron/);
});
