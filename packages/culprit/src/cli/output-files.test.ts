import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fakeCapture } from '../report/test-support/fake-capture.js';
import { main } from './main.js';
import { recordingIo } from './test-support/recording-io.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-outputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const capture = join(dir, 'cap.json');
const original = JSON.stringify(fakeCapture({ nodes: 50 }));
writeFileSync(capture, original);
symlinkSync(capture, join(dir, 'alias.json'));
// a copy of a small app: a refusal that failed would destroy it, not the fixture
const listener = fileURLToPath(new URL('../../../../fixtures/trace-listener/app.js', import.meta.url));
copyFileSync(listener, join(dir, 'app.js'));
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
const appSource = readFileSync(join(dir, 'app.js'), 'utf8');

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

test('trace, profile and diagnose refuse to write over the target they run', async () => {
  for (const args of [
    ['trace', '--app', 'app.js', 'GET', '/', '--save', 'app.js'],
    ['trace', '/', '--save', './app.js', '--', 'node', 'app.js'],
    ['profile', '--app', 'app.js', 'GET', '/', '--html', join(dir, 'app.js')],
    ['profile', '--app', 'app.js', 'GET', '/', '--export', 'speedscope=app.js'],
    ['diagnose', '--app', 'app.js', 'GET', '/', '--save', 'app.js'],
  ]) {
    const { code, err } = await run(args);
    assert.equal(code, 2, args.join(' '));
    assert.match(err, /^culprit: CULPRIT_E_FLAG_CONFLICT: refusing to write .*app\.js: it is an input of this command/);
    assert.equal(readFileSync(join(dir, 'app.js'), 'utf8'), appSource, args.join(' '));
  }
});

test('trace --save and profile --save/--export say when they replace a file', async () => {
  writeFileSync(join(dir, 'trace.json'), 'old');
  const traced = await run(['trace', '--app', 'app.js', 'GET', '/', '--save', 'trace.json']);
  assert.equal(traced.code, 0, traced.err);
  assert.match(traced.err, /culprit trace: replacing .*trace\.json/);
  assert.equal(JSON.parse(readFileSync(join(dir, 'trace.json'), 'utf8')).schema, 'culprit.capture/1');
  writeFileSync(join(dir, 'profile.json'), 'old');
  const profiled = await run([
    'profile',
    '--app',
    'app.js',
    'GET',
    '/',
    '-n',
    '200',
    '--warmup',
    '0',
    '--interval',
    '50',
    '--save',
    'profile.json',
    '--export',
    'collapsed=fresh.txt',
  ]);
  assert.equal(profiled.code, 0, profiled.err);
  assert.match(profiled.err, /culprit profile: replacing .*profile\.json/);
  assert.doesNotMatch(profiled.err, /replacing .*fresh\.txt/);
});
