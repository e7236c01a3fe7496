import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { probeEntryUrl } from '../target/probe-paths.js';
import { hasListenChannel } from './listen-watch.js';

// The built probe, preloaded as in the target's tree (its socket variable set): what its start loads,
// and that the Worker subclass is in place however the app reaches Worker.
const dir = mkdtempSync(join(tmpdir(), 'culprit-probe-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hasModuleHooks = 'registerHooks' in (await import('node:module'));

function run(script: string): string {
  const args = [`--import=${probeEntryUrl()}`, '--input-type=module', '-e', script];
  const out = spawnSync(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, CULPRIT_PROBE_SOCKET: join(dir, 'no-such.sock'), NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.trim();
}

test('the start loads node:net only where listen has no tracing channel, worker_threads only without module hooks', () => {
  const out = run(
    `const loaded = (name) => process.moduleLoadList.includes('NativeModule ' + name);
     console.log(loaded('net'), loaded('worker_threads'));`,
  );
  assert.equal(out, `${!hasListenChannel()} ${!hasModuleHooks}`);
});

test('an app gets the Worker subclass by import, by require and by process.getBuiltinModule', () => {
  for (const reach of [
    `(await import('node:worker_threads')).Worker`,
    `(await import('node:module')).createRequire(import.meta.url)('worker_threads').Worker`,
    `process.getBuiltinModule?.('node:worker_threads').Worker ?? (await import('node:worker_threads')).Worker`,
  ]) {
    const out = run(
      `const Worker = ${reach};
       const Original = Object.getPrototypeOf(Worker);
       console.log(Worker.name, Original.name, Original !== Function.prototype);`,
    );
    assert.equal(out, 'Worker Worker true', reach);
  }
});
