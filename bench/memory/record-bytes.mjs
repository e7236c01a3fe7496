#!/usr/bin/env node
// Bytes one repeated query record holds (issue 15: ≤ 1 KB), measured on the
// heap with the built modules, for a loop of N queries of one statement from
// one line under a 40-frame stack (an ORM's), from the probe's record on:
//   the probe's record (tables filled: one statement, one stack, 41 locations);
//   the wire record (JSON) the CLI receives;
//   CLI: the decoded record (statements and stacks shared), then sanitized as trace keeps it.
// The driver hooks' events before the record is built are not measured here
// (their format is the hooks' own and changes with them).
//   node --expose-gc bench/memory/record-bytes.mjs [N]
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (typeof globalThis.gc !== 'function') {
  console.error('record-bytes: run with node --expose-gc');
  process.exit(2);
}
const here = fileURLToPath(new URL('.', import.meta.url));
const dist = (path) => import(pathToFileURL(join(here, '../../packages/culprit/dist', path)).href);
const { FrameMapper, QueryTableBuilder, toProbeQuery } = await dist('probe/query-records.js');
const { observedFrom } = await dist('target/observed.js');
const { sanitizeRecord } = await dist('trace/redact.js');

const N = Number(process.argv[2] ?? 2000);
const SQL =
  'SELECT "line"."id", "line"."order_id", "line"."sku", "line"."qty", "line"."price" FROM "line" WHERE "line"."order_id" = $1';

function heap() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

// V8 hands every frame of one script the same name string: the frames share theirs too
// (strings built per frame would be flattened, and counted, on the first read).
const libraryUrls = Array.from({ length: 38 }, (_, i) => `/srv/shop/node_modules/orm/lib/layer-${i}.js`);
const names = Array.from({ length: 38 }, (_, i) => `step${i}`);

/** 38 library frames over the app's line, as an ORM's loop issues its queries. */
function loopStack() {
  const library = libraryUrls.map((url, i) => ({ url, line: 100 + i, column: 8, functionName: names[i] }));
  return [
    ...library,
    { url: '/srv/shop/src/orders.js', line: 11, column: 20, functionName: 'loadLines' },
    { url: '/srv/shop/src/routes.js', line: 41, column: 4, functionName: 'handler' },
  ];
}

const events = Array.from({ length: N }, (_, i) => ({
  driver: 'pg',
  sql: SQL,
  params: [i],
  startedAt: i,
  durationMs: 0.2,
  rows: 3,
  stack: loopStack(),
}));
const base = heap();
const frames = new FrameMapper();
const tables = new QueryTableBuilder();
const queries = events.map((event) => toProbeQuery(event, true, frames, tables));
const built = heap();
const record = {
  method: 'GET',
  url: '/orders',
  status: 200,
  wallMs: 1,
  cpuMs: 1,
  bytes: 2,
  scopeId: 1,
  marker: 'm-1',
  queries,
  tables: tables.tables,
  constructions: [],
};
const wire = JSON.stringify(record);
events.length = 0;
queries.length = 0;
record.queries = [];
const cliBase = heap();
const decoded = observedFrom(1, JSON.parse(wire));
const cliDecoded = heap();
const kept = sanitizeRecord(decoded, false);
const cliKept = heap();

const per = (bytes) => `${(bytes / N).toFixed(0).padStart(6)} B`;
console.log(`one record of ${N.toLocaleString('en-US')} repeated queries (40-frame stack), bytes per query:`);
console.log(`  probe, the record built (tables filled)     ${per(built - base)}`);
console.log(`  wire record (JSON)                          ${per(wire.length)}`);
console.log(`  CLI, decoded record                         ${per(cliDecoded - cliBase)}`);
console.log(`  CLI, decoded + sanitized (as trace keeps it) ${per(cliKept - cliBase)}`);
// keep every measured object alive to here
if (!decoded || !kept) process.exit(1);
