// Instructions per query the probe's pool hooks (pool-stack.ts) cost, with no database: a pool shaped
// like pg-pool (its `query` wrapped by carryPoolStack, its `connect` by keepQueuedContext, a free
// connection handed back on the next tick) calls a driver hook that asks issuedAt() for the caller's
// frames. The network drivers' runs move by ±20k per query between runs of one build (socket reads);
// this path alone is steady to a few hundred instructions, enough to compare two builds of it.
//
//   node bench/queries/pool-call.mjs                      # this checkout's probe
//   node bench/queries/pool-call.mjs --culprit /tmp/before  # another build's (its dist/probe)
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inParallel, instructionsOfAsync, valgrindAvailable } from '../callgrind.mjs';

const here = fileURLToPath(import.meta.url);
const REQUEST_SIZE = 50;
const SMALL = 200;
const LARGE = 2700;

async function child(queries, dist) {
  const pools = await import(new URL('queries/pool-stack.js', dist).href);
  const context = await import(new URL('request-context.js', dist).href);
  context.setQueriesWanted(true);
  const client = {
    query(done) {
      pools.issuedAt(client.query).frames.appFrame();
      done();
    },
  };
  const connect = pools.keepQueuedContext(function connect(callback) {
    process.nextTick(callback, null, client);
  });
  const query = pools.carryPoolStack('bench pool', function query() {
    return new Promise((done) => connect.call(this, (_error, connection) => connection.query(done)));
  });
  const request = (from) =>
    context.runInScope({ requestId: from, startedAt: 0, queries: [], closed: false }, async () => {
      for (let i = 0; i < REQUEST_SIZE; i++) await query();
    });
  for (let i = 0; i < 300; i += REQUEST_SIZE) await request(i);
  globalThis.gc?.();
  for (let i = 0; i < queries; i += REQUEST_SIZE) await request(i);
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(Number(args[1]), args[2]);
  const culpritAt = args.indexOf('--culprit');
  const root = culpritAt >= 0 ? resolve(args[culpritAt + 1]) : resolve(here, '../../../packages/culprit');
  const dist = `${pathToFileURL(resolve(root, 'dist/probe')).href}/`;
  if (!valgrindAvailable()) {
    console.error('pool-call: needs valgrind on the PATH');
    process.exit(2);
  }
  const steady = ['--single-threaded', '--no-memory-reducer', '--expose-gc'];
  const run = (count) => () => instructionsOfAsync([...steady, here, '--child', String(count), dist]);
  const [few, many] = await inParallel([run(SMALL), run(LARGE)], 2);
  const perQuery = (many - few) / (LARGE - SMALL) / 1000;
  console.log(`${dist}: ${perQuery.toFixed(1)}k instructions per pool query (callgrind, ${process.version})`);
}

await main();
