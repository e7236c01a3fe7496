#!/usr/bin/env node
// What the probe costs per SQL query, per driver: client CPU microseconds per
// query with no probe, with the probe's hooks installed but no trace listening,
// inside a request scope that records no queries (what a traced request pays
// anyway: AsyncLocalStorage's promise hooks on every await), and with a trace
// listening (stack taken, event recorded in its request, and turned into the
// wire record at the request's end, as the probe does).
// Each driver × mode runs in a fresh process (hooks cannot be removed), and
// the modes alternate round by round; the median is printed, with the load
// average before and after.
//
//   npm run build && node bench/queries/per-query.mjs [--queries 3000] [--rounds 3] [driver…]
//   node bench/queries/per-query.mjs --instructions [--jobs 2] [--modes scoped,listening] [driver…]
//   … --culprit DIR: measure another build's probe (DIR/dist/probe: a copy of packages/culprit, the "before")
//
// CPU time (process.cpuUsage), not wall time: a network query's wall time is
// the server's and the socket's; the probe's cost is the client's CPU. On a
// loaded machine CPU time is noisy too: --instructions counts the client's
// machine instructions per query under valgrind (callgrind), which load does
// not move: two runs per mode (200 and 700 queries after the same warm-up),
// their difference divided by 500, so start-up and warm-up cancel out.
// Prints figures and ratios, asserts nothing.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  COMPILERS,
  inParallel,
  instructionsOfAsync,
  LARGE,
  NO_RANDOM_LAYOUT,
  SMALL,
  STEADY,
  valgrindAvailable,
} from '../callgrind.mjs';

const here = fileURLToPath(import.meta.url);
const culpritAt = process.argv.indexOf('--culprit');
if (culpritAt >= 0) {
  // the children inherit it through the environment
  process.env.CULPRIT_BENCH_DIST = `${pathToFileURL(resolve(process.argv[culpritAt + 1], 'dist/probe')).href}/`;
  process.argv.splice(culpritAt, 2);
}
const dist = new URL(process.env.CULPRIT_BENCH_DIST ?? '../../packages/culprit/dist/probe/', import.meta.url);
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
// connectTimeout: under valgrind the handshake outlasts mysql2's default 10 s on a loaded machine
const MY = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test', connectTimeout: 120_000 };
const MODES = ['none', 'idle', 'scoped', 'listening'];
const REQUEST_SIZE = 50; // queries per emulated request: the record is built at its end

/** Per driver: open a client, run query i (awaited), close. */
const drivers = {
  pg: async () => {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ ...PG, max: 1 });
    return { run: (i) => pool.query('SELECT $1::int AS n', [i]), close: () => pool.end() };
  },
  postgres: async () => {
    const { default: postgres } = await import('postgres');
    const sql = postgres({ ...PG, max: 1 });
    return { run: (i) => sql`SELECT ${i}::int AS n`, close: () => sql.end() };
  },
  mysql2: async () => {
    const mysql = await import('mysql2/promise');
    const pool = mysql.createPool({ ...MY, connectionLimit: 1 });
    return { run: (i) => pool.query('SELECT ? AS n', [i]), close: () => pool.end() };
  },
  mysql: async () => {
    const { default: mysql } = await import('mysql');
    const pool = mysql.createPool({ ...MY, connectionLimit: 1 });
    const run = (i) =>
      new Promise((resolve, reject) => pool.query('SELECT ? AS n', [i], (e, rows) => (e ? reject(e) : resolve(rows))));
    return { run, close: () => new Promise((resolve) => pool.end(resolve)) };
  },
  mariadb: async () => {
    const mariadb = await import('mariadb');
    // acquireTimeout: under valgrind on a loaded machine the first connection outlasts the pool's default 10 s
    const pool = mariadb.createPool({ ...MY, connectionLimit: 1, acquireTimeout: 120_000 });
    return { run: (i) => pool.query('SELECT ? AS n', [i]), close: () => pool.end() };
  },
  'better-sqlite3': async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(':memory:');
    const statement = db.prepare('SELECT ? AS n');
    return { run: async (i) => statement.get(i), close: async () => db.close() };
  },
  sqlite3: async () => {
    const { default: sqlite3 } = await import('sqlite3');
    const db = new sqlite3.Database(':memory:');
    const run = (i) =>
      new Promise((resolve, reject) => db.get('SELECT ? AS n', [i], (e, row) => (e ? reject(e) : resolve(row))));
    return { run, close: () => new Promise((resolve) => db.close(resolve)) };
  },
  // TypeORM 0.2 (fixtures/typeorm-02) over mysql: an entry point the app calls, hooked (typeorm.ts), then the driver's
  'typeorm-0.2': async () => {
    const require = createRequire(new URL('../../fixtures/typeorm-02/package.json', import.meta.url));
    const { createConnection } = require('typeorm');
    const options = { name: `bench-${process.pid}`, type: 'mysql', ...MY, username: MY.user };
    const connection = await createConnection({ ...options, extra: { connectionLimit: 1 } });
    return { run: (i) => connection.manager.query('SELECT ? AS n', [i]), close: () => connection.close() };
  },
  'node:sqlite': async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(':memory:');
    const statement = db.prepare('SELECT ? AS n');
    return { run: async (i) => statement.get(i), close: async () => db.close() };
  },
};

/** In the child: CPU µs per query for one driver in one mode. */
async function child(driver, mode, queries) {
  let probe;
  if (mode !== 'none') {
    const context = await import(new URL('request-context.js', dist).href);
    const { installQueryHooks } = await import(new URL('queries/index.js', dist).href);
    const records = await import(new URL('query-records.js', dist).href);
    installQueryHooks(context.recordQuery);
    if (mode === 'listening') context.setQueriesWanted(true);
    probe = { context, records };
  }
  const client = await drivers[driver]();
  const request = async (from, count) => {
    if (mode === 'none' || mode === 'idle') {
      for (let i = from; i < from + count; i++) await client.run(i);
      return;
    }
    const scope = { requestId: from, startedAt: performance.now(), queries: [], closed: false };
    await probe.context.runInScope(scope, async () => {
      for (let i = from; i < from + count; i++) await client.run(i);
    });
    scope.closed = true;
    const frames = new probe.records.FrameMapper();
    const tables = new probe.records.QueryTableBuilder();
    for (const event of scope.queries) probe.records.toProbeQuery(event, false, frames, tables, scope.startedAt);
  };
  for (let i = 0; i < 300; i += REQUEST_SIZE) await request(i, REQUEST_SIZE); // warm-up
  // under --instructions: the start-up's full GC (its incremental marking steps run alongside the first
  // queries, more or fewer of them by run length) is finished here, so only the queries' own GC is counted
  globalThis.gc?.();
  const before = process.cpuUsage();
  for (let i = 0; i < queries; i += REQUEST_SIZE) await request(i, REQUEST_SIZE);
  const used = process.cpuUsage(before);
  await client.close();
  process.stdout.write(JSON.stringify({ us: (used.user + used.system) / queries }));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// postgres.js and mariadb load as ES modules: on Node 20 their hooks need the loader that the
// probe starts only for an app whose package.json names them (this script's does not)
const childEnv = { ...process.env, CULPRIT_ESM_HOOKS: '1' };

const loadavg = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

/** One child process: its CPU µs per query. */
function runChild(driver, mode, queries) {
  const out = execFileSync(process.execPath, [here, '--child', driver, mode, String(queries)], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return JSON.parse(out.toString()).us;
}

function printRow(driver, figures, digits) {
  const [none, idle, scoped, listening] = figures;
  const shown = (v, text) => (Number.isNaN(v) ? '—' : text);
  const cells = figures.map((v) => shown(v, v.toFixed(digits)).padStart(11));
  const signed = (v) => shown(v, `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`);
  const deltas = [idle - none, scoped - none, listening - none, listening - scoped].map((v) => signed(v).padStart(12));
  console.log(
    `${driver.padEnd(15)}${cells.join('')}${deltas.join('')}${shown(listening / none, `${(listening / none).toFixed(2)}×`).padStart(12)}`,
  );
}

function printHeader(unit) {
  console.log(
    [
      'driver',
      'no probe',
      'idle',
      'scoped',
      'listening',
      'idle−none',
      'scoped−none',
      'listen−none',
      'recording',
      'listen/none',
    ]
      .map((h, i) => (i === 0 ? h.padEnd(15) : h.padStart(i > 4 ? 12 : 11)))
      .join(''),
  );
  console.log(
    `(${unit}; scoped: inside a request scope, queries not recorded; recording = listening − scoped, the recording's own cost)`,
  );
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2], Number(args[3]));
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    if (at < 0) return fallback;
    const value = Number(args[at + 1]);
    args.splice(at, 2);
    if (!Number.isInteger(value) || value <= 0) {
      console.error(`per-query: ${name} takes a positive integer`);
      process.exit(2);
    }
    return value;
  };
  const queries = option('--queries', 3000);
  const rounds = option('--rounds', 3);
  const jobs = option('--jobs', 1);
  // a longer second run divides the GC phase both runs end in by more queries (±20–30k per query at 700)
  const large = option('--large', LARGE);
  const instructions = args.includes('--instructions');
  if (instructions) args.splice(args.indexOf('--instructions'), 1);
  const modesAt = args.indexOf('--modes');
  const modes = modesAt >= 0 ? args.splice(modesAt, 2)[1].split(',') : MODES;
  if (modes.some((mode) => !MODES.includes(mode))) {
    console.error(`per-query: --modes takes some of ${MODES.join(',')}`);
    process.exit(2);
  }
  const unknown = args.filter((name) => !(name in drivers));
  if (unknown.length > 0) {
    console.error(
      `per-query: unknown driver ${unknown.join(', ')}; expected some of ${Object.keys(drivers).join(', ')}`,
    );
    process.exit(2);
  }
  if (instructions && !valgrindAvailable()) {
    console.error('per-query: --instructions needs valgrind on the PATH');
    process.exit(2);
  }
  const chosen = args.length > 0 ? args : Object.keys(drivers);
  console.log(`load average ${loadavg()} (1, 5, 15 min) at the start`);
  if (instructions) {
    console.log(
      `client instructions per query (callgrind; (runs of ${large}) − (runs of ${SMALL})) / ${large - SMALL})`,
    );
    printHeader('thousands of instructions per query');
  } else {
    console.log(`client CPU µs per query (median of ${rounds} rounds × ${queries} queries, awaited one by one)`);
    printHeader('CPU µs per query');
  }
  for (const driver of chosen) {
    const samples = Object.fromEntries(MODES.map((mode) => [mode, []]));
    let failed;
    const failure = (error) => {
      const lines = String(error.stderr ?? error.message)
        .trim()
        .split('\n');
      return (lines.find((line) => /Error|ERR_/.test(line)) ?? lines.find(Boolean) ?? 'failed').trim();
    };
    if (instructions) {
      // each mode's two runs (SMALL and LARGE queries), `jobs` valgrinds at once: counts do not depend on load
      const run = (mode, count) => () =>
        instructionsOfAsync([...STEADY, here, '--child', driver, mode, String(count)], {
          env: childEnv,
          // compilation left out, the same address layout in every run (bench/callgrind.mjs)
          leaveOut: COMPILERS,
          prefix: NO_RANDOM_LAYOUT,
        });
      try {
        const counts = await inParallel(
          modes.flatMap((mode) => [run(mode, SMALL), run(mode, large)]),
          jobs,
        );
        modes.forEach((mode, i) => {
          samples[mode].push((counts[2 * i + 1] - counts[2 * i]) / (large - SMALL) / 1000);
        });
      } catch (error) {
        failed = failure(error);
      }
    }
    for (let round = 0; round < (instructions ? 0 : rounds) && !failed; round++) {
      for (const mode of MODES) {
        try {
          samples[mode].push(runChild(driver, mode, queries));
        } catch (error) {
          failed = failure(error);
          break;
        }
      }
    }
    if (failed) {
      // a native addon built for another Node line (better-sqlite3 under Node 22/24 from this checkout)
      const abi = /better_sqlite3\.node|NODE_MODULE_VERSION/.test(failed)
        ? ' (an addon built for another Node: run this script from .ci/node/<major>/tree, see bench/queries/README.md)'
        : '';
      console.log(`${driver.padEnd(15)}skipped: ${failed.slice(0, 100)}${abi}`);
      continue;
    }
    printRow(
      driver,
      MODES.map((mode) => (samples[mode].length > 0 ? median(samples[mode]) : Number.NaN)),
      1,
    );
  }
  console.log(`load average ${loadavg()} at the end`);
}

await main();
