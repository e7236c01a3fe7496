import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connectToCli, send } from './connection.js';
import { proofFor, randomToken, SECRET_ENV } from './handshake.js';
import { SOCKET_ENV } from './protocol.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-connection-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A CLI end that challenges only after `delayMs`, as a busy culprit would, and collects what follows the welcome. */
function slowCli(path: string, secret: string, delayMs: number): Promise<string[]> {
  return new Promise((resolve) => {
    const received: string[] = [];
    const server = createServer((socket: Socket) => {
      const nonce = randomToken();
      let buffer = '';
      let welcomed = false;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
          const message = JSON.parse(buffer.slice(0, newline)) as { type: string; nonce?: string };
          buffer = buffer.slice(newline + 1);
          if (!welcomed) {
            assert.equal(message.type, 'auth');
            socket.write(
              `${JSON.stringify({ type: 'welcome', proof: proofFor(secret, 'cli', message.nonce ?? '') })}\n`,
            );
            welcomed = true;
            continue;
          }
          received.push(message.type);
          if (received.length === 3) {
            socket.destroy();
            server.close();
            resolve(received);
          }
        }
      });
      setTimeout(() => socket.write(`${JSON.stringify({ type: 'challenge', nonce })}\n`), delayMs);
    });
    server.listen(path);
  });
}

test('what a server records while its connection is still being proved goes out after the hello (a cluster worker answering early)', {
  timeout: 10_000,
}, async () => {
  const path = join(dir, 'cli.sock');
  const secret = randomToken();
  process.env[SOCKET_ENV] = path;
  process.env[SECRET_ENV] = secret;
  const received = slowCli(path, secret, 150);
  const connected = connectToCli({ keepAlive: false });
  send({ type: 'listening', port: 1, address: '127.0.0.1' });
  send({ type: 'listening', port: 2, address: '127.0.0.1' });
  assert.equal(await connected, true);
  assert.deepEqual(await received, ['hello', 'listening', 'listening']);
});
