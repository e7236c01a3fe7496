// Runs a command under GNU time to get the client's own CPU (user+sys) and
// peak RSS, and starts/stops the trivial server.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TIME = '/usr/bin/time';
export const haveGnuTime = existsSync(TIME);

/** Runs argv; resolves { stdout, cpuS, maxRssKb } (cpu and RSS of that process tree, from GNU time). */
export function measured(argv, { timeoutMs }) {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-load-'));
  const report = join(dir, 'time.txt');
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-o', report, '-f', '%U %S %M', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${argv.join(' ')} exited with ${code}: ${stderr.trim().slice(0, 400)}`));
        return;
      }
      const [user, sys, rss] = readFileSync(report, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      resolve({ stdout, cpuS: user + sys, maxRssKb: rss });
    });
  });
}

/** Starts bench/load/server.mjs in its own process; resolves { url, stop }. */
export function startServer(delayMs = 0) {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', (d) => {
      resolve({ url: `http://127.0.0.1:${String(d).trim()}/`, stop: () => child.kill('SIGTERM') });
    });
  });
}
