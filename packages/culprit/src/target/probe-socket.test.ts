// The probe socket against other local users: a private directory, mutual
// authentication with the secret from the environment, removal on every exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SECRET_ENV } from '../probe/handshake.js';
import { SOCKET_ENV } from '../probe/protocol.js';
import { sweepLeftovers } from './private-dirs.js';
import { ProbeHub } from './probe-link.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs a snippet of TypeScript in a fresh node (tsx), with `env`; resolves with its stdout once it exits. */
function runChild(code: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: here,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve) => child.once('exit', () => resolve(out)));
}

const connectSnippet = `
const { connectToCli, send } = await import(${JSON.stringify(join(here, '../probe/connection.ts'))});
const ok = await connectToCli({ keepAlive: true });
if (ok) send({ type: 'listening', port: 4321, address: '127.0.0.1' });
console.log(JSON.stringify({ ok }));
setTimeout(() => process.exit(0), 200);
`;

describe('probe socket', () => {
  test('lives in a 0700 directory of its own, removed on close', async () => {
    const hub = await ProbeHub.open();
    const dir = dirname(hub.path);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.match(dir, /culprit-\d+-/);
    assert.ok(existsSync(hub.path));
    hub.close();
    assert.equal(existsSync(dir), false);
  });

  test('a connection without the secret gets nothing but a challenge, and is dropped', async () => {
    const hub = await ProbeHub.open();
    let links = 0;
    hub.on('link', () => links++);
    const client = createConnection(hub.path);
    client.setEncoding('utf8');
    let received = '';
    client.on('data', (chunk: string) => {
      received += chunk;
    });
    await new Promise((resolve) => client.once('connect', resolve));
    // poses as the target: a hello, a listening port, a guessed answer
    client.write(`${JSON.stringify({ type: 'auth', proof: 'f'.repeat(64), nonce: 'a'.repeat(64) })}\n`);
    client.write(`${JSON.stringify({ type: 'listening', port: 1, address: '127.0.0.1' })}\n`);
    await new Promise((resolve) => client.once('close', resolve));
    hub.close();
    const lines = received.trim().split('\n');
    assert.equal(lines.length, 1, received);
    assert.equal(JSON.parse(lines[0] as string).type, 'challenge');
    assert.equal(links, 0);
  });

  test('a probe holding the secret connects and reports', async () => {
    const hub = await ProbeHub.open();
    const listening = new Promise<unknown>((resolve) =>
      hub.on('link', (link) => link.on('message', (message) => message.type === 'listening' && resolve(message))),
    );
    const out = await runChild(connectSnippet, { ...process.env, ...hub.env() });
    assert.deepEqual(JSON.parse(out), { ok: true });
    assert.deepEqual(await listening, { type: 'listening', port: 4321, address: '127.0.0.1' });
    hub.close();
  });

  test('a probe with the wrong secret is refused', async () => {
    const hub = await ProbeHub.open();
    let links = 0;
    hub.on('link', () => links++);
    const out = await runChild(connectSnippet, { ...process.env, ...hub.env(), [SECRET_ENV]: 'not-the-secret' });
    hub.close();
    assert.deepEqual(JSON.parse(out), { ok: false });
    assert.equal(links, 0);
  });

  test('a stranger listening in place of culprit learns nothing from the probe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-cli-'));
    const path = join(dir, 'fake.sock');
    let received = '';
    const server = createServer((socket) => {
      socket.setEncoding('utf8');
      socket.write(`${JSON.stringify({ type: 'challenge', nonce: 'b'.repeat(64) })}\n`);
      socket.on('data', (chunk: string) => {
        received += chunk;
        socket.write(`${JSON.stringify({ type: 'welcome', proof: '0'.repeat(64) })}\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const out = await runChild(connectSnippet, { ...process.env, [SOCKET_ENV]: path, [SECRET_ENV]: 'c'.repeat(64) });
    server.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(JSON.parse(out), { ok: false });
    const lines = received
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    assert.deepEqual(
      lines.map((line) => line.type),
      ['auth'],
      'only the proof went out: no hello (argv), no port, no records',
    );
    assert.doesNotMatch(received, /c{64}/, 'the secret itself never crosses the socket');
  });

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    test(`${signal} removes the directory`, async () => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `const { ProbeHub } = await import(${JSON.stringify(join(here, 'probe-link.ts'))});
           const hub = await ProbeHub.open();
           console.log(hub.path);
           setInterval(() => {}, 1000);`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const path = await new Promise<string>((resolve) =>
        child.stdout.setEncoding('utf8').once('data', (chunk: string) => resolve(chunk.trim())),
      );
      assert.ok(existsSync(path));
      const exited = new Promise((resolve) => child.once('exit', (_code, how) => resolve(how)));
      child.kill(signal);
      assert.equal(await exited, signal, 'the signal still ends the process');
      assert.equal(existsSync(dirname(path)), false);
    });
  }

  test('leftovers of killed runs are swept; those of live processes are kept', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sweep-'));
    const short = spawn(process.execPath, ['-e', '']);
    // awaited, not timed: on a loaded machine the child may not have exited (and been reaped) yet
    await new Promise((resolve) => short.once('exit', resolve));
    const deadDir = join(parent, `culprit-${short.pid ?? 999_999}-AbC123`);
    const liveDir = join(parent, `culprit-${process.ppid}-XyZ789`);
    const other = join(parent, 'culprit-notes');
    for (const dir of [deadDir, liveDir, other]) mkdirSync(dir);
    assert.equal(sweepLeftovers(parent), 1);
    assert.equal(existsSync(deadDir), false);
    assert.ok(existsSync(liveDir));
    assert.ok(existsSync(other));
    rmSync(parent, { recursive: true, force: true });
  });
});
