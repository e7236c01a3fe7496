/**
 * `culprit watch` as a library function: switches the probe to count every
 * request the server answers (and record a sample of them in full), folds
 * them into the route table until the
 * duration ends, Ctrl-C, or the target exits, and returns the capture. The
 * caller opens and closes the target.
 */
import { performance } from 'node:perf_hooks';
import { partialNote } from '../capture/partial.js';
import { CAPTURE_SCHEMA, type Capture, type RequestRecord } from '../capture/types.js';
import { observedFrom } from '../target/observed.js';
import type { RunningTarget } from '../target/types.js';
import { redactCapture, sanitizeRecord } from '../trace/redact.js';
import { decodeCountedRows } from './counted-rows.js';
import { summarizeRoutes } from './route-summary.js';
import { RouteTable } from './route-table.js';

export interface WatchRun {
  /** Stop after this long; undefined: until `signal` aborts or the target exits. */
  durationMs: number | undefined;
  keepParams: boolean;
  /** The `culprit diagnose …` command line for one recorded request. */
  diagnoseCommand: (request: RequestRecord) => string;
  commandLine: string;
  version: string;
  /** ISO time; injected so tests are stable. */
  createdAt?: string;
  signal?: AbortSignal;
  /** Called about once a second with the table so far (the live view). */
  onTick?: (table: RouteTable, elapsedS: number) => void;
  /** Called once every probe counts requests: only then may the app's port open and the user be told to send traffic. */
  onRecording?: () => Promise<void> | void;
}

const TICK_MS = 1000;

/** Resolves when the watch should end, and says why. */
function ending(target: RunningTarget, run: WatchRun): { done: Promise<string>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const done = new Promise<string>((resolve) => {
    if (run.durationMs !== undefined) timer = setTimeout(() => resolve('duration'), run.durationMs);
    onAbort = () => resolve('interrupted');
    if (run.signal?.aborted) resolve('interrupted');
    run.signal?.addEventListener('abort', onAbort, { once: true });
    void target.exited.then((code) => resolve(`exited ${code}`));
  });
  return {
    done,
    cancel: () => {
      clearTimeout(timer);
      if (onAbort) run.signal?.removeEventListener('abort', onAbort);
    },
  };
}

export async function runWatch(target: RunningTarget, run: WatchRun): Promise<Capture> {
  const startedAt = new Date().toISOString();
  await target.probe.configureTrace({ queries: true, constructions: false, stacks: false, watch: true });
  const table = new RouteTable();
  const started = performance.now();
  const startedUnixMs = performance.timeOrigin + started;
  let skipped = 0;
  const stop = target.onWatched({
    record(raw) {
      const { id: _id, ...record } = sanitizeRecord(observedFrom(0, raw), run.keepParams);
      table.add({
        record,
        ...(raw.routeFrom ? { routeFrom: raw.routeFrom } : {}),
        atS: (performance.now() - started) / 1000,
      });
    },
    rows(batch) {
      const decoded = decodeCountedRows(batch, (endUnixMs) => (endUnixMs - startedUnixMs) / 1000);
      for (const request of decoded.requests) table.count(request);
      skipped += decoded.skipped;
    },
  });
  await run.onRecording?.();
  const ticker = setInterval(() => run.onTick?.(table, (performance.now() - started) / 1000), TICK_MS);
  const end = ending(target, run);
  const why = await end.done;
  end.cancel();
  clearInterval(ticker);
  const durationS = (performance.now() - started) / 1000;
  // switching watch off sends the probe's last batch of counted requests before its answer
  if (!why.startsWith('exited'))
    await target.probe
      .configureTrace({ queries: false, constructions: false, stacks: false, watch: false })
      .catch(() => {});
  // records of responses that ended just before the stop may still be on the socket
  await new Promise((resolve) => setTimeout(resolve, 100));
  stop();
  const { routes, requests } = summarizeRoutes({ table, target: target.info, diagnoseCommand: run.diagnoseCommand });
  const notes = [...target.notes];
  const detailed = routes.reduce((sum, route) => sum + (route.detailed ?? 0), 0);
  notes.push(
    `watch mode counts every request (route, status, latency, CPU, queries, rows, HTTP calls) and records ${detailed} of ${table.requests} in full (queries with their lines, HTTP calls): the first of each route, then about two a second per route, and the next request to a URL slower than any recorded before; findings come from those. No V8 call counting or body parsing, so the app runs close to its normal speed`,
  );
  if (skipped > 0) notes.push(`${skipped} malformed rows of counted requests from the probe were left out`);
  if (why === 'interrupted' && run.durationMs !== undefined)
    notes.push(partialNote(`stopped by Ctrl-C after ${durationS.toFixed(1)} s`));
  if (why.startsWith('exited'))
    notes.push(`the command ended (${why.replace('exited', 'exit code')}) after ${durationS.toFixed(1)} s`);
  const faults = why.startsWith('exited') ? [] : await target.probe.faults().catch(() => [] as string[]);
  for (const fault of faults) notes.push(`probe fault (the app was not affected): ${fault}`);
  const capture: Capture = {
    schema: CAPTURE_SCHEMA,
    createdAt: run.createdAt ?? new Date().toISOString(),
    tool: { name: 'culprit', version: run.version, command: run.commandLine },
    target: target.info,
    requests,
    notes,
    watch: { startedAt, durationS, requests: table.requests, bucketS: table.bucketS, routes },
  };
  return redactCapture(capture, run.keepParams);
}
