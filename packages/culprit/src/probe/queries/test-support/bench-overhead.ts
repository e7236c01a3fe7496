// What a query hook costs per statement: better-sqlite3 `get()` by primary key
// (≈ the cheapest real query), without hooks, with hooks idle (no trace
// listening) and with hooks recording. Run:
//   node --import tsx packages/culprit/src/probe/queries/test-support/bench-overhead.ts
import { createRequire } from 'node:module';
import { setQueriesWanted } from '../../request-context.js';
import { install } from '../better-sqlite3.js';

const N = 50_000;
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');

function run(label: string): number {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 1000; i += 1) insert.run(`v${i}`);
  })();
  const get = db.prepare('SELECT v FROM t WHERE id = ?');
  for (let i = 0; i < 5000; i += 1) get.get((i % 1000) + 1); // warm-up
  const started = performance.now();
  for (let i = 0; i < N; i += 1) get.get((i % 1000) + 1);
  const perQueryUs = ((performance.now() - started) * 1000) / N;
  db.close();
  console.log(`${label.padEnd(28)} ${perQueryUs.toFixed(2)} µs/query`);
  return perQueryUs;
}

const bare = run('no hooks');
let events = 0;
let readStacks = false;
install((event) => {
  events += 1;
  if (readStacks) void event.stack.length; // what the probe does for a query inside a request
});
const idle = run('hooks installed, idle');
setQueriesWanted(true);
const recording = run('recording, stacks unread');
readStacks = true;
const withStacks = run('recording, stacks read');
console.log(
  `cost per query: idle ${(idle - bare).toFixed(2)} µs, recording ${(recording - bare).toFixed(2)} µs, with stack frames ${(withStacks - bare).toFixed(2)} µs (${events} events)`,
);
