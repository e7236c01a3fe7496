// What bench --save/--json write: the URL under the redaction policy, never
// over the run's own input (-D), and a word on stderr when a file is replaced.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../cli/main.js';
import { recordingIo } from '../cli/test-support/recording-io.js';
import { httpServer, type TestServer } from './test-support/servers.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-bench-save-'));
let server: TestServer | undefined;
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function bench(args: string[]) {
  server ??= await httpServer((_req, res) => res.end('ok'));
  const url = new URL(server.url);
  const secretUrl = `http://bob:SECRET-PW@${url.host}/items?page=2&token=SECRET-Q`;
  const io = recordingIo(dir);
  const code = await main(['bench', '-n', '4', '-c', '1', ...args, secretUrl], io);
  return { code, out: io.out(), err: io.err() };
}

test('--save and --json write the URL with query values and password redacted; --keep-params keeps them', async () => {
  const run = await bench(['--json', '--save', 'run.json']);
  assert.equal(run.code, 0, run.err);
  const saved = readFileSync(join(dir, 'run.json'), 'utf8');
  for (const text of [saved, run.out]) {
    assert.equal(text.includes('SECRET'), false, text);
    assert.match(JSON.parse(text).url, /^http:\/\/bob:\?@127\.0\.0\.1:\d+\/items\?page=\?&token=\?$/);
  }
  const kept = await bench(['--json', '--keep-params']);
  assert.match(JSON.parse(kept.out).url, /bob:SECRET-PW@.*token=SECRET-Q$/);
});

test('--save says when it replaces a file and refuses to write over its -D body', async () => {
  writeFileSync(join(dir, 'old.json'), '{}');
  const replaced = await bench(['--save', 'old.json']);
  assert.equal(replaced.code, 0);
  assert.match(replaced.err, /culprit bench: replacing .*old\.json/);
  const fresh = await bench(['--save', 'new.json']);
  assert.doesNotMatch(fresh.err, /replacing/);
  writeFileSync(join(dir, 'body.json'), '{"a":1}');
  const refused = await bench(['-m', 'POST', '-D', 'body.json', '--save', './body.json']);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /^culprit: CULPRIT_E_FLAG_CONFLICT: refusing to write .*body\.json: it is an input/);
  assert.equal(readFileSync(join(dir, 'body.json'), 'utf8'), '{"a":1}');
});
