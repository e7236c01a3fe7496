#!/usr/bin/env node
// What the probe's EXPLAIN registry costs per query while tracing (issue 15):
// each SELECT a driver hook sees in a request leaves a closure (the app's
// connection and the statement's values) in a bounded Map, for the plans
// diagnose asks after the request. CPU per query with and without the
// registry update, alternating, a million queries each.
//   node bench/probe/explain-registry.mjs [--culprit DIR]
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  options: { culprit: { type: 'string', default: join(here, '../../packages/culprit') } },
});
const { rememberPlan } = await import(
  pathToFileURL(join(values.culprit, 'dist/probe/queries/explain-registry.js')).href
);
const sqls = [
  'SELECT "line"."id", "line"."qty" FROM "line" WHERE "line"."order_id" = $1',
  'SELECT * FROM item WHERE id = ?',
  'INSERT INTO log VALUES (?)',
];
const N = 1_000_000;
const results = { 'closure only': [], 'closure + rememberPlan': [] };
let sink = 0;
for (let round = 0; round < 4; round++) {
  for (const name of Object.keys(results)) {
    const started = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const sql = sqls[i % 3];
      const params = [i];
      const explain = () => Promise.resolve([sql, String(params[0])]); // what a hook leaves
      if (name === 'closure only') sink += explain.length;
      else rememberPlan(sql, explain);
    }
    const used = process.cpuUsage(started);
    results[name].push(((used.user + used.system) * 1000) / N);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [name, xs] of Object.entries(results)) console.log(`${name.padEnd(24)} ${median(xs).toFixed(0)} ns/query`);
console.log(
  `the registry adds ${(median(results['closure + rememberPlan']) - median(results['closure only'])).toFixed(0)} ns per query${sink < 0 ? '' : ''}`,
);
