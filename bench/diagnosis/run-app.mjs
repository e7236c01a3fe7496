// What the two diagnosis scorers (score.mjs on bench/diagnosis/apps, corpus.mjs on a held-out corpus)
// share: a free loopback port, and a child process run to its end with its output and a time limit.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** An app is given 3 minutes (set-up and a diagnose with profile); past it, it gets SIGINT. */
export const APP_TIMEOUT_MS = 180_000;

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Runs a command to its end: `{code, stdout, stderr}`; `options.timeoutMs` overrides the limit. */
export function run(command, argv, options) {
  return new Promise((done) => {
    const child = spawn(command, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGINT'), options.timeoutMs ?? APP_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
