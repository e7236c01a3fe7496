// The `ephemera` command: library calls of main() and the real process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Io, main } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ephemera-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function captureIo(): Io & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return { stdout, stderr, stopSignal: () => Promise.resolve('test'), out: () => out, err: () => err };
}

test('seed writes a deterministic archive and says what it wrote', async () => {
  const io = captureIo();
  const code = await main(['seed', '--count', '120', '--db', join(dir, 'a.sqlite')], io);
  assert.equal(code, 0, io.err());
  assert.match(io.out(), /^seeded 120 ephemera, 40 people, \d+ places, 1 collections in [\d.]+ s into sqlite:/);
  assert.equal(io.err(), '', 'no progress bar when stderr is not a TTY');
});

test('bad usage is one line on stderr and exit code 2', async () => {
  for (const argv of [
    ['frobnicate'],
    ['seed', '--count', 'many'],
    ['seed', '--count', '0'],
    ['seed', '--colour'],
    ['serve', '--port', '99999'],
    ['serve', '--db', 'sqlite:'],
    ['seed', '--db', 'postgres://x/db?schema=Bad-Name'],
  ]) {
    const io = captureIo();
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.match(io.err(), /^ephemera: .+\n$/, argv.join(' '));
  }
});

test('serve --port 0 prints the address it listens on, and answers there', async () => {
  const db = join(dir, 'serve.sqlite');
  assert.equal(await main(['seed', '--count', '20', '--db', db], captureIo()), 0);
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', '--db', db], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code} before printing an address`)));
    });
    const address = /ephemera listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
    assert.ok(address, line);
    const response = await fetch(`${address}/api/ephemera/7/?expand=~all`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { id: number }).id, 7);
  } finally {
    child.kill('SIGTERM');
  }
});
