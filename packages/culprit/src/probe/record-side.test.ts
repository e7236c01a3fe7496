import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { nodeOptionsWithProbe } from '../target/probe-paths.js';
import { proofFor, randomToken, SECRET_ENV } from './handshake.js';
import { MARKER_HEADER, SOCKET_ENV } from './protocol.js';

// The built probe loads its record side (the recorder, the control and breakpoint methods: dist/probe/record.cjs)
// only once a culprit connects or a request starts first: serve.ts. What a user relies on: a request served
// while the connection is still being proved is recorded all the same, and the CLI's first call finds its method.
const dir = mkdtempSync(join(tmpdir(), 'culprit-record-side-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  types: string[];
  records: Array<{ marker?: string; url?: string }>;
  scripts: unknown;
}

/**
 * A CLI end that challenges only after `delayMs` (the server answers a request meanwhile), then calls
 * `scripts` and collects the messages until the server's request record and the call's result arrived.
 */
function slowCli(path: string, secret: string, delayMs: number): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const seen: Seen = { types: [], records: [], scripts: undefined };
    // a probe that never sends the record fails the test rather than leaving it waiting
    const deadline = setTimeout(() => {
      server.close();
      reject(new Error(`no request record within 10 s; messages: ${seen.types.join(', ')}`));
    }, 10_000);
    const server = createServer((socket: Socket) => {
      const nonce = randomToken();
      let buffer = '';
      let welcomed = false;
      socket.setEncoding('utf8');
      socket.on('error', reject);
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
          const message = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
          buffer = buffer.slice(newline + 1);
          if (!welcomed) {
            assert.equal(message.type, 'auth');
            const proof = proofFor(secret, 'cli', String(message.nonce));
            socket.write(`${JSON.stringify({ type: 'welcome', proof })}\n`);
            // the first call comes with the welcome, as the CLI's do
            socket.write(`${JSON.stringify({ type: 'call', id: 1, method: 'scripts.files' })}\n`);
            welcomed = true;
            continue;
          }
          seen.types.push(String(message.type));
          if (message.type === 'request') seen.records.push(message.record as Seen['records'][number]);
          if (message.type === 'result' || message.type === 'error') seen.scripts = message;
          if (seen.records.length > 0 && seen.scripts !== undefined) {
            clearTimeout(deadline);
            socket.destroy();
            server.close();
            resolve(seen);
          }
        }
      });
      setTimeout(() => socket.write(`${JSON.stringify({ type: 'challenge', nonce })}\n`), delayMs);
    });
    server.listen(path);
  });
}

test('a request served before the connection is proved is recorded, and the first call loads its method', {
  timeout: 20_000,
}, async () => {
  const path = join(dir, 'cli.sock');
  const secret = randomToken();
  const cli = slowCli(path, secret, 400);
  const server = join(dir, 'server.cjs');
  writeFileSync(
    server,
    `const http = require('node:http');
     const server = http.createServer((_request, response) => response.end('ok'));
     server.listen(0, '127.0.0.1', () => {
       // at once, while the probe still waits for culprit's challenge
       http.get({ port: server.address().port, path: '/early', headers: { ${JSON.stringify(MARKER_HEADER)}: 'm1' } }, (r) => r.resume());
       setTimeout(() => server.close(), 3000).unref();
     });`,
  );
  const child = spawn(process.execPath, [server], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_OPTIONS: nodeOptionsWithProbe(undefined),
      [SOCKET_ENV]: path,
      [SECRET_ENV]: secret,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    // a probed server takes its own process group down when culprit goes away (serve.ts): in the test
    // runner's group, the fake CLI's close would stop the runner and every test beside it
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    const seen = await cli;
    assert.equal(seen.types[0], 'hello', stderr);
    assert.deepEqual(
      seen.records.map((record) => [record.marker, record.url]),
      [['m1', '/early']],
      stderr,
    );
    assert.equal((seen.scripts as { type?: string }).type, 'result', JSON.stringify(seen.scripts));
    assert.ok(Array.isArray((seen.scripts as { result?: unknown }).result));
  } finally {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group already went down with the fake CLI's close
    }
  }
});
