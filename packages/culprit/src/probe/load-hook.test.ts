import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { probeEntryUrl, probePreloadPath } from '../target/probe-paths.js';
import { hasInThreadModuleHooks, WATCH_LOADS } from './load-hook.js';

// The built probe, preloaded as in the target's tree: the ES module driver hook and the Worker watch
// share one in-thread hook set where Node has them (22.15+), and each still does its work whichever
// of the two the app reaches first. The Worker watch leaves the set once node:worker_threads loaded,
// or after WATCH_LOADS modules; the driver hook joins it only where a hooked package is
// installed; a set without watchers is deregistered.
const app = mkdtempSync(join(tmpdir(), 'culprit-load-hook-'));
/** An app that reaches no hooked ES module package. */
const plainApp = mkdtempSync(join(tmpdir(), 'culprit-load-hook-plain-'));
after(() => {
  rmSync(app, { recursive: true, force: true });
  rmSync(plainApp, { recursive: true, force: true });
});
/** More CommonJS files than the Worker watch waits for. */
const manyModules = WATCH_LOADS + 20;
const files: Record<string, string> = {
  'node_modules/postgres/package.json': '{"name":"postgres","type":"module","exports":"./src/index.js"}',
  'node_modules/postgres/src/index.js': 'export { Query } from "./query.js";',
  'node_modules/postgres/src/query.js': 'export class Query extends Promise {}',
  'package.json': '{"name":"app","dependencies":{"postgres":"*"}}',
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(dirname(join(app, path)), { recursive: true });
  writeFileSync(join(app, path), text);
}
for (const dir of [app, plainApp]) {
  mkdirSync(join(dir, 'lib'));
  for (let i = 0; i < manyModules; i++) writeFileSync(join(dir, `lib/m${i}.cjs`), `module.exports = ${i};`);
}
const loadMany = `{ const require = (await import('node:module')).createRequire(process.cwd() + '/');
  for (let i = 0; i < ${manyModules}; i++) require('./lib/m' + i + '.cjs'); }`;

// required before the probe (either entry): counts the hook sets registered after it, and deregistered
const countHookSets = join(app, 'count-hook-sets.cjs');
writeFileSync(
  countHookSets,
  `const m = require('node:module');
   globalThis.hookSets = 0;
   globalThis.deregistered = 0;
   const registerHooks = m.registerHooks;
   if (registerHooks) {
     m.registerHooks = (hooks) => {
       globalThis.hookSets += 1;
       const set = registerHooks(hooks);
       return { deregister() { globalThis.deregistered += 1; set.deregister(); } };
     };
     m.syncBuiltinESMExports();
   }`,
);
/** The probe's two entries: command mode's CommonJS preload, and the ES module one (module host, builds before). */
const entries = [`--require=${probePreloadPath()}`, `--import=${probeEntryUrl()}`];

const loadPostgres = `const { Query } = await import(process.cwd() + '/node_modules/postgres/src/index.js');`;
// a worker the app starts carries the worker probe in its execArgv, and its Worker is culprit's subclass
const startWorker = `const { Worker } = await import('node:worker_threads');
  const worker = new Worker("import('node:worker_threads').then((w) => w.parentPort.postMessage(process.execArgv.join(' ')))", { eval: true });
  const execArgv = await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  await worker.terminate();
  const followed = Object.getPrototypeOf(Worker).name === 'Worker' && /worker-entry/.test(execArgv);`;

function run(entry: string, script: string, cwd = app): string {
  const args = [`--require=${countHookSets}`, entry, '--input-type=module', '-e', script];
  const out = spawnSync(process.execPath, args, {
    cwd,
    env: { ...process.env, CULPRIT_PROBE_SOCKET: join(cwd, 'no-such.sock'), NODE_OPTIONS: '', CULPRIT_ESM_HOOKS: '' },
    encoding: 'utf8',
  });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.trim();
}

const print = `console.log(globalThis.hookSets, Object.hasOwn(Query.prototype, 'handler'), followed);`;
const oneSet = hasInThreadModuleHooks() ? 1 : 0;

test('workers are followed, and an ES module driver loaded after the first worker is patched', () => {
  // postgres.js's hook gives Query an own `handler` accessor
  for (const entry of entries)
    assert.equal(run(entry, `${startWorker}\n${loadPostgres}\n${print}`), `${oneSet} true true`, entry);
});

test('an ES module driver loaded before the first worker is patched, and the worker followed', () => {
  for (const entry of entries)
    assert.equal(run(entry, `${loadPostgres}\n${startWorker}\n${print}`), `${oneSet} true true`, entry);
});

test('a process that loads many modules gets the Worker subclass without asking, and its hook set goes', () => {
  // no hooked ES module package installed: the Worker watch is the set's only watcher
  const script = `${loadMany}
    const loaded = process.moduleLoadList.includes('NativeModule worker_threads');
    ${startWorker}
    console.log(globalThis.hookSets, globalThis.deregistered, loaded, followed);`;
  for (const entry of entries) assert.equal(run(entry, script, plainApp), `${oneSet} ${oneSet} true true`, entry);
});

test('the driver hook keeps the set after the Worker watch left it: a driver loaded late is patched', () => {
  const script = `${loadMany}\n${loadPostgres}\n${startWorker}
    console.log(globalThis.hookSets, globalThis.deregistered, Object.hasOwn(Query.prototype, 'handler'), followed);`;
  for (const entry of entries) assert.equal(run(entry, script), `${oneSet} 0 true true`, entry);
});
