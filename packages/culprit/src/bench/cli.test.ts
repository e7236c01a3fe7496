import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import type { CliIo } from '../cli/command.js';
import { main } from '../cli/main.js';
import { httpServer, type TestServer } from './test-support/servers.js';

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

function io(signal = new AbortController().signal, tty = false): CliIo & { stdout: Capture; stderr: Capture } {
  return {
    stdout: new Capture(tty),
    stderr: new Capture(),
    env: {},
    cwd: mkdtempSync(join(tmpdir(), 'culprit-cli-')),
    signal,
  };
}

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function server(delayMs: number): Promise<string> {
  const s = await httpServer((_req, res) => setTimeout(() => res.end('{"ok":true}'), delayMs));
  servers.push(s);
  return s.url;
}

test('usage errors print one coded line and exit 2', async () => {
  for (const args of [
    ['bench', 'nope'],
    ['bench', 'gopher://x/'],
    ['bench', '-c', '0', 'http://127.0.0.1:1/'],
    ['bench', '--bogus', 'http://127.0.0.1:1/'],
  ]) {
    const cli = io();
    assert.equal(await main(args, cli), 2, args.join(' '));
    assert.match(cli.stderr.text, /^culprit: CULPRIT_E_[A-Z_]+: .+\n$/);
    assert.equal(cli.stdout.text, '');
  }
});

test('--help lists hey flags and says -q is a total rate', async () => {
  const cli = io();
  assert.equal(await main(['bench', '--help'], cli), 0);
  for (const flag of [
    '-n',
    '-c',
    '-z',
    '-q',
    '-t',
    '-m',
    '-H',
    '-A',
    '-d',
    '-D',
    '-T',
    '-a',
    '-host',
    '-disable-keepalive',
    '-o',
  ]) {
    assert.ok(cli.stdout.text.includes(`${flag},`) || cli.stdout.text.includes(`${flag} `), flag);
  }
  assert.match(cli.stdout.text, /TOTAL/);
});

test('--json prints the documented fields; --save writes them; --fail-if exits 1 when broken', async () => {
  const url = await server(0);
  const cli = io();
  const code = await main(
    [
      'bench',
      '-n',
      '12',
      '-c',
      '3',
      '--json',
      '--save',
      'run.json',
      '--fail-if',
      'p50>1ms',
      '--fail-if',
      'p50<0.001ms',
      url,
    ],
    cli,
  );
  const result = JSON.parse(cli.stdout.text) as Record<string, unknown>;
  for (const field of [
    'requests',
    'errors',
    'durationS',
    'rps',
    'latencyMs',
    'statusCodes',
    'errorKinds',
    'bytes',
    'histogram',
  ]) {
    assert.ok(field in result, field);
  }
  assert.equal(result.requests, 12);
  assert.deepEqual(Object.keys(result.latencyMs as object).sort(), [
    'max',
    'mean',
    'min',
    'p50',
    'p75',
    'p90',
    'p95',
    'p99',
    'p999',
  ]);
  assert.deepEqual(JSON.parse(readFileSync(join(cli.cwd, 'run.json'), 'utf8')), result);
  const p50 = (result.latencyMs as { p50: number }).p50;
  assert.equal(code, p50 > 1 ? 1 : 0);
  assert.equal(cli.stderr.text.includes('threshold broken: p50>1ms'), p50 > 1);
  const strict = io();
  assert.equal(await main(['bench', '-n', '3', '-c', '1', '--fail-if', 'errors<1', url], strict), 1);
  assert.match(strict.stderr.text, /threshold broken: errors<1 \(errors was 0\)/);
});

test('bench --save twice then compare says which is faster, with an interval', async () => {
  const slow = await server(30);
  const fast = await server(5);
  const cli = io();
  assert.equal(await main(['bench', '-n', '20', '-c', '2', '--save', 'a.json', '--json', slow], cli), 0);
  assert.equal(
    await main(['bench', '-n', '20', '-c', '2', '--save', 'b.json', '--json', fast], { ...cli, stdout: new Capture() }),
    0,
  );
  const out = io();
  assert.equal(await main(['compare', join(cli.cwd, 'a.json'), join(cli.cwd, 'b.json')], out), 0);
  assert.match(out.stdout.text, /median: B is \d+\.\d+× faster \(median .* ms → .* ms, 95% CI \d+\.\d+×–\d+\.\d+×\)/);
  const bad = io();
  assert.equal(await main(['compare', 'missing.json', 'b.json'], bad), 2);
});

test('Ctrl-C ends the run and still prints the report; no progress line off a TTY', async () => {
  const url = await server(1);
  const controller = new AbortController();
  const cli = io(controller.signal);
  setTimeout(() => controller.abort(), 300);
  assert.equal(await main(['bench', '-z', '1m', '-c', '2', url], cli), 0);
  assert.match(cli.stdout.text, /Summary:/);
  assert.match(cli.stdout.text, /\[200\]\t\d+ responses/);
  assert.ok(!cli.stdout.text.includes('\u001b[2K'), 'no progress line');
  assert.match(cli.stderr.text, /interrupted/);
});

test('-o csv streams one row per request', async () => {
  const url = await server(0);
  const cli = io();
  assert.equal(await main(['bench', '-n', '5', '-c', '1', '-o', 'csv', url], cli), 0);
  const lines = cli.stdout.text.trim().split('\n');
  assert.equal(lines.length, 6);
  assert.match(lines[1] ?? '', /^\d+\.\d{4},(\d+\.\d{4},){5}200,\d+\.\d{4}$/);
});

const bin = new URL('../../bin/culprit.js', import.meta.url).pathname;
const built = existsSync(new URL('../../dist/cli/commands/bench.js', import.meta.url));
test('the real binary runs a bench', { skip: built ? false : 'dist not built (npm run build)' }, async () => {
  const url = await server(0);
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'bench', '-n', '10', '-c', '1', url]);
  assert.match(stdout, /Latency distribution:[\s\S]*99% in \d/);
  assert.match(stdout, /\[200\]\t10 responses/);
});

test('a TTY gets a live progress line, erased before the report; --json never does', async () => {
  const url = await server(1);
  const tty = io(undefined, true);
  assert.equal(await main(['bench', '-z', '500ms', '-c', '2', url], tty), 0);
  const erase = '\u001b[2K\r';
  const cut = tty.stdout.text.lastIndexOf(erase);
  const progress = tty.stdout.text.slice(0, cut);
  const report = tty.stdout.text.slice(cut + erase.length);
  assert.match(progress, /\[#+-*\] \d+ requests +\d+ req\/s +0 errors +0\.\ds/);
  assert.match(report, /^\nSummary:/);
  const json = io(undefined, true);
  assert.equal(await main(['bench', '-z', '300ms', '-c', '2', '--json', url], json), 0);
  assert.doesNotThrow(() => JSON.parse(json.stdout.text));
});

test('--warmup sends its requests first and leaves them out of the report', async () => {
  let seen = 0;
  const s = await httpServer((_req, res) => {
    seen++;
    res.end('x');
  });
  servers.push(s);
  const cli = io();
  assert.equal(await main(['bench', '-n', '5', '-c', '1', '--warmup', '3', '--json', s.url], cli), 0);
  assert.equal(seen, 8);
  assert.equal(JSON.parse(cli.stdout.text).requests, 5);
});
