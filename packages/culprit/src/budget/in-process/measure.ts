/**
 * `measure(callback)`: what one piece of a test did, measured in the test's
 * own process so the test's database, transactions and mocks are the app's.
 * The probe's driver hooks are installed here (on the first call) and the
 * callback runs in its own AsyncLocalStorage scope, so concurrent
 * measurements keep their queries apart; requests the callback sends to a
 * server of this process are served in that scope too (traffic.ts).
 */
import { performance } from 'node:perf_hooks';
import type { Construction } from '../../capture/types.js';
import { CulpritError } from '../../errors/culprit-error.js';
import { watchBlocking } from '../../probe/loop-blocking.js';
import { installSocketWatch, listenNetwork } from '../../probe/network/index.js';
import { installQueryHooks } from '../../probe/queries/index.js';
import { patchLoadedSince } from '../../probe/queries/module-hook.js';
import { takeOverOtherCopies } from '../../probe/queries/patch.js';
import { installIoredisHooks } from '../../probe/remote/ioredis.js';
import { installNodeRedisHooks } from '../../probe/remote/node-redis.js';
import { type RequestScope, recordQuery, runInScope, setQueriesWanted } from '../../probe/request-context.js';
import { enableScripts } from '../../probe/scripts.js';
import { type ActiveMeasurement, anyOpen, closeMeasurement, openMeasurement } from './active.js';
import { closeCoverageWindow, openCoverageWindow } from './coverage-windows.js';
import { itemsOf } from './items-of.js';
import { type Measurement, toMeasurement } from './to-measurement.js';
import { installTrafficLinks } from './traffic.js';

export interface MeasureOptions {
  /** Names the measurement in messages and snapshots (default: none). */
  label?: string;
  /**
   * Count constructions per class (default false). V8's count-mode coverage
   * is process-wide: each measurement takes it twice, a heap walk of a few
   * ms with an ORM loaded, so it is asked for where a budget needs it.
   */
  constructions?: boolean;
  /** Items the response carried, when the returned value does not show them (for `maxRowsPerItem`). */
  items?: number;
}

let installed = false;
let nextId = 1;

function install(): void {
  if (installed) return;
  installed = true;
  takeOverOtherCopies();
  installQueryHooks(recordQuery);
  // Redis through the probe's own hooks; HTTP through traffic.ts, which also tells the test's requests from the app's
  installIoredisHooks();
  installNodeRedisHooks();
  installTrafficLinks();
  installSocketWatch(); // a driver no hook saw still writes to its socket: budgets on SQL then fail, never pass on 0
  enableScripts(); // the inline source maps of modules a test runner ran through vm (Vitest, Jest)
}

/**
 * Lazy thenables start their work in `then` (light-my-request's and Fastify's
 * `inject()` chain, supertest's `Test`, postgres.js's `Query`, a Promise
 * subclass): `await` would call it outside the scope, so it is called here,
 * inside. A plain promise's work already started.
 */
function settleInScope<T>(value: T | Promise<T>): T | Promise<T> {
  const then = (value as { then?: unknown } | null)?.then;
  if (typeof then !== 'function' || then === Promise.prototype.then) return value;
  return new Promise<T>((resolve, reject) => {
    then.call(value, resolve, reject);
  });
}

/**
 * A driver file loaded while the callback ran, by a loader that bypasses
 * `_compile` (Jest's): its queries until now went unrecorded, so the counts
 * would be silently low. It is patched now; the next measurement sees it.
 */
function unseenDriver(files: string[], label: string | undefined): CulpritError {
  const what = label === undefined ? 'measure()' : `measure() '${label}'`;
  const packages = [
    ...new Set(files.map((file) => /.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file)?.[1] ?? file)),
  ];
  return new CulpritError(
    'CULPRIT_E_DRIVER_UNSEEN',
    `${what}: ${packages.join(', ')} loaded while the callback ran, through a module loader culprit cannot hook (Jest's), so its queries were not recorded; load the driver before measuring (import it at the top of the test file)`,
  );
}

/** Runs `work` and returns what it did: queries, rows, constructions, HTTP and Redis calls, blocking, time, and its value. */
export async function measure<T>(work: () => T | Promise<T>, options: MeasureOptions = {}): Promise<Measurement<T>> {
  install();
  patchLoadedSince(); // drivers Jest's own loader brought in since the last measurement
  const scope: RequestScope = { requestId: -nextId, queries: [], closed: false };
  const active: ActiveMeasurement = { id: nextId++, scope, calls: [] };
  openMeasurement(active);
  setQueriesWanted(true);
  listenNetwork(true);
  const coverage = options.constructions === true ? openCoverageWindow() : undefined;
  const stopBlocking = watchBlocking();
  const cpu = process.cpuUsage();
  const startedAt = performance.now();
  let value: T;
  let constructions: Construction[] = [];
  let wallMs: number;
  let blockingMs: number;
  try {
    value = await runInScope(scope, () => settleInScope(work()));
  } finally {
    wallMs = performance.now() - startedAt;
    blockingMs = stopBlocking().longestMs;
    if (coverage) constructions = closeCoverageWindow(coverage);
    closeMeasurement(active);
    if (!anyOpen()) {
      setQueriesWanted(false); // the hooks go back to costing nothing
      listenNetwork(false);
    }
  }
  const unseen = patchLoadedSince();
  if (unseen.length > 0) throw unseenDriver(unseen, options.label);
  const cpuUsed = process.cpuUsage(cpu);
  const items = options.items ?? itemsOf(value);
  return toMeasurement(active, {
    value,
    wallMs,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    blockingMs,
    constructions,
    overlapped: coverage?.overlapped ?? false,
    constructionsCounted: coverage !== undefined,
    ...(items === undefined ? {} : { items }),
    ...(options.label === undefined ? {} : { label: options.label }),
  });
}
