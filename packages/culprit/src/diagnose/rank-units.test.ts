/**
 * The ranking compares what each fix would save in one unit, the request's
 * own time, whatever the machine's load: a CPU loop beside a query loop (and
 * beside a large load), each the bigger in turn, on a quiet machine and on one
 * where descheduling stretched the traced wall time, the profile's samples,
 * or both, several times over.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockingStretch, Finding, ProfileData, QueryRecord, SourceLocation } from '../capture/types.js';
import { diagnose } from './diagnose.js';
import { descheduledMs, requestTimeMs, waitOf } from './facts/request-time.js';
import { capture, request } from './test-support/captures.js';

const handler: SourceLocation = { functionName: 'report', file: '/app/src/routes/report.ts', line: 40, column: 1 };
const driver: SourceLocation = {
  functionName: 'query',
  file: '/app/node_modules/pg/lib/client.js',
  line: 500,
  column: 1,
};
const LOOP_FILE = '/app/src/ranking/score.ts';

interface Shape {
  /** CPU of the app's own hot loop, and of the rest of the request. */
  loopCpuMs: number;
  otherCpuMs?: number;
  /** Queries the request runs: one per item (an N+1), or one loading many rows. */
  queries: QueryRecord[];
  items: number;
  /** How many times descheduling stretched the loop in the traced run, and in the profiled runs. */
  traceStretch?: number;
  profileStretch?: number;
  /** Synchronous stretches besides the loop's (the driver parsing rows inside a query's interval). */
  stretches?: BlockingStretch[];
  /** The rest of the CPU is the driver's (parsing rows), called from the handler, not the handler's own code. */
  otherInDriver?: boolean;
}

function nPlusOne(count: number, eachMs: number): QueryRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    driver: 'pg',
    sql: 'SELECT name FROM tags WHERE item_id = $1',
    durationMs: eachMs,
    rows: 3,
    valuesKey: `item-${i}`,
    stack: [driver, handler],
  }));
}

function load(rows: number, durationMs: number): QueryRecord[] {
  const sql = 'SELECT path, visitor FROM views WHERE viewed_at >= $1';
  return [{ driver: 'pg', sql, durationMs, rows, stack: [driver, handler] }];
}

function diagnosed(shape: Shape): Finding[] {
  const { loopCpuMs, otherCpuMs = 20, traceStretch = 1, profileStretch = 1, queries, items } = shape;
  const { stretches = [], otherInDriver = false } = shape;
  const waitMs = queries.reduce((sum, q) => sum + q.durationMs, 0);
  const stretchedLoopMs = loopCpuMs * traceStretch;
  const traced = request({
    url: '/report',
    cpuMs: loopCpuMs + otherCpuMs,
    wallMs: stretchedLoopMs + otherCpuMs + waitMs,
    blockingMs: stretchedLoopMs,
    blocking: [...stretches, { startMs: waitMs, durationMs: stretchedLoopMs }],
    items,
    bytes: items * 40,
    queries,
  });
  const fn = (name: string, file: string, line: number, category: 'app' | 'root' | 'dependency') => ({
    name,
    file,
    line,
    column: 1,
    category,
    ...(category === 'dependency' ? { package: 'pg' } : {}),
    calls: category === 'app' ? 1 : null,
    selfMs: 0,
    totalMs: 0,
  });
  const loopMs = loopCpuMs * profileStretch;
  const ownMs = otherCpuMs * profileStretch;
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 1,
    durationMs: loopMs + ownMs,
    countedRequests: 1,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('report', handler.file, 38, 'app'),
      fn('scoreAll', LOOP_FILE, 12, 'app'),
      fn('parseRow', '/app/node_modules/pg/lib/result.js', 60, 'dependency'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: loopMs + ownMs },
      { fn: 1, parent: 0, selfSamples: 0, selfMs: otherInDriver ? 0 : ownMs, totalMs: loopMs + ownMs },
      { fn: 2, parent: 1, selfSamples: loopMs, selfMs: loopMs, totalMs: loopMs },
      { fn: 3, parent: 1, selfSamples: 0, selfMs: otherInDriver ? ownMs : 0, totalMs: otherInDriver ? ownMs : 0 },
    ],
  };
  return diagnose(capture([traced], profile));
}

const loads = [
  { name: 'a quiet machine', traceStretch: 1, profileStretch: 1 },
  { name: 'the traced run stretched 8x', traceStretch: 8, profileStretch: 1 },
  { name: 'the profiled runs stretched 8x', traceStretch: 1, profileStretch: 8 },
  { name: 'both stretched, unequally', traceStretch: 12, profileStretch: 5 },
];

const summary = (findings: readonly Finding[]): string =>
  findings.map((f) => `${f.severity} ${f.rule} ${f.savesMs?.toFixed(0)} ms`).join('; ');

for (const machine of loads) {
  test(`a 600 ms CPU loop leads a 40-query N+1 of 80 ms, on ${machine.name}`, () => {
    const findings = diagnosed({ loopCpuMs: 600, queries: nPlusOne(40, 2), items: 40, ...machine });
    assert.equal(findings[0]?.location?.file, LOOP_FILE, summary(findings));
    assert.ok(
      findings.some((f) => f.rule === 'n-plus-one'),
      'the N+1 is still reported',
    );
    // what the loop costs is its CPU, however long the loaded machine held it
    assert.equal(Math.round(findings[0]?.savesMs ?? 0), 600);
    if (machine.traceStretch > 1)
      assert.ok(
        findings[0]?.explains?.some((s) => /blocks the event loop/.test(s)),
        'the stretched blocking is the loop',
      );
  });

  test(`a 40-query N+1 of 400 ms leads a 60 ms CPU loop, on ${machine.name}`, () => {
    const findings = diagnosed({ loopCpuMs: 60, queries: nPlusOne(40, 10), items: 40, ...machine });
    assert.equal(findings[0]?.rule, 'n-plus-one', summary(findings));
    assert.equal(findings[0]?.location?.line, 40);
    const loop = findings.find((f) => f.location?.file === LOOP_FILE);
    assert.ok(loop, summary(findings));
    assert.equal(Math.round(loop?.savesMs ?? 0), 60);
  });

  test(`a 900 ms CPU loop leads a 30,000-row load of 200 ms, on ${machine.name}`, () => {
    const findings = diagnosed({ loopCpuMs: 900, queries: load(30_000, 200), items: 10, ...machine });
    assert.equal(findings[0]?.location?.file, LOOP_FILE, summary(findings));
    assert.ok(findings.some((f) => f.rule === 'over-fetch'));
  });

  test(`a 30,000-row load of 700 ms leads a 60 ms CPU loop, on ${machine.name}`, () => {
    const findings = diagnosed({ loopCpuMs: 60, queries: load(30_000, 700), items: 10, ...machine });
    assert.equal(findings[0]?.rule, 'over-fetch', summary(findings));
    assert.equal(findings[0]?.location?.line, 40);
  });
}

test("a request's own time: its wall time less what descheduling certainly added", () => {
  // a synchronous stretch is CPU or descheduling: 2,000 ms of stretches with 500 ms of CPU in all
  const loaded = request({
    wallMs: 2300,
    cpuMs: 500,
    blockingMs: 1500,
    blocking: [
      { startMs: 10, durationMs: 1500 },
      { startMs: 1700, durationMs: 500 },
    ],
  });
  assert.equal(descheduledMs(loaded), 1500);
  assert.equal(requestTimeMs(loaded), 800);
  // a wait (a timer, a socket) is no stretch: nothing is taken from a quiet request that mostly waits
  assert.equal(requestTimeMs(request({ wallMs: 600, cpuMs: 10, blockingMs: 8 })), 600);
  // stretches within the request's CPU prove nothing
  assert.equal(requestTimeMs(request({ wallMs: 300, cpuMs: 250, blockingMs: 200 })), 300);
  // without a CPU reading (an imported trace), the wall time stands
  assert.equal(requestTimeMs(request({ wallMs: 900, cpuMs: 0, blockingMs: 800 })), 900);
});

test("rows parsed on the main thread inside a query's interval are the rows' CPU, not also the query's wait", () => {
  // 300 ms from issue to result, 240 of them the driver parsing 30,000 rows in the process
  const [query] = load(30_000, 300);
  const parsing = { startMs: 20, durationMs: 240 };
  assert.equal(waitOf({ ...query!, startMs: 0 }, [parsing, { startMs: 400, durationMs: 90 }]), 60);
  assert.equal(waitOf({ ...query!, startMs: 0 }, []), 300);
  // beside a loop of 400 ms of CPU, the load is worth 60 ms of wait and 260 ms of CPU (not 300 + 260)
  const findings = diagnosed({
    loopCpuMs: 400,
    otherCpuMs: 260,
    queries: [{ ...query!, startMs: 0 }],
    stretches: [parsing],
    otherInDriver: true,
    items: 10,
  });
  assert.equal(findings[0]?.location?.file, LOOP_FILE, summary(findings));
  const rows = findings.find((f) => f.rule === 'over-fetch');
  assert.ok(rows && Math.abs((rows.savesMs ?? 0) - 320) < 1, summary(findings));
});
