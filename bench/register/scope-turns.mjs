#!/usr/bin/env node
// What a recorded request's scope costs to open and close with culprit/register's listeners in place: on
// Node 20 the storage's enable and disable (async and promise hooks), and the channels that follow open
// scopes (routes, mysql2's TracingChannels), whose first subscribe and last unsubscribe set their prototype.
// A loop in one process, no server: microseconds per open + close, the minimum and median of 7 rounds.
//   node bench/register/scope-turns.mjs [--before DIR]   (DIR: a copy of packages/culprit with its dist/)
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { before: { type: 'string' } } });
const builds = { now: fileURLToPath(new URL('../../packages/culprit', import.meta.url)) };
if (values.before) builds.before = values.before;

async function timeBuild(root) {
  const load = (file) => import(pathToFileURL(join(root, 'dist', file)).href);
  const context = await load('probe/request-context.js');
  const routes = await load('probe/routes/index.js');
  const recording = await load('register/recording.js');
  const hooks = await load('probe/query-hooks.js');
  recording.enableRecording(() => hooks.installQueryHooks());
  context.setScopesOnDemand(true);
  // older builds take no second argument: every request's routes, turned on once
  routes.watchRouters(true, 'recorded');
  const rounds = [];
  for (let round = 0; round < 7; round++) {
    const n = 20_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const scope = { requestId: i, startedAt: 0, queries: [], closed: false };
      context.openScope(scope);
      context.closeScope(scope);
    }
    rounds.push(Number(process.hrtime.bigint() - started) / n / 1000);
  }
  rounds.sort((a, b) => a - b);
  return { min: rounds[0], median: rounds[3] };
}

// each build in a process of its own: module state (hooks, subscriptions) is per process
if (process.env.CULPRIT_SCOPE_TURNS_ROOT) {
  const { min, median } = await timeBuild(process.env.CULPRIT_SCOPE_TURNS_ROOT);
  console.log(`${min.toFixed(2)} ${median.toFixed(2)}`);
} else {
  const { spawnSync } = await import('node:child_process');
  console.log('µs per open + close of a recorded scope (min, median of 7 × 20,000)');
  for (const [name, root] of Object.entries(builds)) {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, CULPRIT_SCOPE_TURNS_ROOT: root },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`${name}: ${run.stderr.trim().split('\n').at(-1)}`);
    const [min, median] = run.stdout.trim().split(' ');
    console.log(`${name.padEnd(8)} ${min.padStart(7)} ${median.padStart(7)}`);
  }
}
