// Ctrl-C on the real binary: culprit stops sending, prints what it has, and
// the target's whole process group is gone. Needs `npm run build`.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/culprit.js', import.meta.url));

/** Pids of the fixture server started with `marker` in its argv. */
function serverPidsOf(marker: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `^node server\\.js ${marker}`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function waitForServer(marker: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (serverPidsOf(marker).length === 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(serverPidsOf(marker).length > 0, 'the server started');
}

test('Ctrl-C on the real binary: partial report, and the server is gone (no orphans)', async () => {
  const marker = `culprit-orphan-check-${process.pid}`;
  const child = spawn(
    process.execPath,
    [bin, 'trace', '/items?n=50', '-n', '10000', '--', 'node', 'server.js', marker],
    {
      cwd: `${fixtures}trace-express`,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const serverPids = (): string[] => serverPidsOf(marker);
  await waitForServer(marker);
  await new Promise((resolve) => setTimeout(resolve, 3000)); // let some requests run
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 130, 'interrupted: 128 + SIGINT, also when a partial report was printed');
  if (stdout) assert.match(stdout, /partial: interrupted after \d+ of 10000 requests/);
  else assert.match(stderr, /interrupted while waiting/, 'a loaded machine may not have the server ready yet');
  assert.deepEqual(serverPids(), [], 'no orphan server');
});

test('culprit killed outright (SIGKILL): the server notices the socket close and stops its group', async () => {
  const marker = `culprit-sigkill-check-${process.pid}`;
  const child = spawn(
    process.execPath,
    [bin, 'trace', '/items?n=5', '-n', '10000', '--', 'node', 'server.js', marker],
    {
      cwd: `${fixtures}trace-express`,
      stdio: 'ignore',
    },
  );
  const serverPids = (): string[] => serverPidsOf(marker);
  await waitForServer(marker);
  await new Promise((resolve) => setTimeout(resolve, 3000)); // connected and serving by now
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const gone = Date.now() + 5000;
  while (serverPids().length > 0 && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(serverPids(), [], 'no orphan server');
});
