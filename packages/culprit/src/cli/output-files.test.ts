import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fakeCapture } from '../report/test-support/fake-capture.js';
import { main } from './main.js';
import { recordingIo } from './test-support/recording-io.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-outputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const capture = join(dir, 'cap.json');
const original = JSON.stringify(fakeCapture({ nodes: 50 }));
writeFileSync(capture, original);
symlinkSync(capture, join(dir, 'alias.json'));

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const io = recordingIo(dir);
  const code = await main(args, io);
  return { code, err: io.err() };
}

test('an output that is the command own input is refused, the input left intact', async () => {
  for (const args of [
    ['view', '--html', 'cap.json', 'cap.json'],
    ['view', 'cap.json', '--html', 'alias.json'],
    ['diagnose', 'cap.json', '--save', 'cap.json'],
    ['diagnose', 'cap.json', '--html', './alias.json'],
  ]) {
    const { code, err } = await run(args);
    assert.equal(code, 2, args.join(' '));
    assert.match(err, /^culprit: CULPRIT_E_FLAG_CONFLICT: refusing to write .*: it is an input of this command/);
    assert.equal(readFileSync(capture, 'utf8'), original, args.join(' '));
  }
});

test('replacing an existing file is said on stderr', async () => {
  const out = join(dir, 'report.html');
  writeFileSync(out, 'old');
  const { code, err } = await run(['view', 'cap.json', '--html', out]);
  assert.equal(code, 0);
  assert.match(err, /culprit view: replacing .*report\.html/);
  const fresh = await run(['view', 'cap.json', '--html', join(dir, 'new.html')]);
  assert.doesNotMatch(fresh.err, /replacing/);
});
