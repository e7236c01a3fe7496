/**
 * What `culprit/register` (the app's main thread) hands the export worker,
 * and what the worker answers. Plain data: it crosses a `postMessage`.
 */
import type { ProbeRequest } from '../probe/protocol.js';
import type { RegisterConfig } from './config.js';
import type { ProfileExportCounts } from './profile-export.js';

/** One sampled request as recorded in the app: raw SQL and params (the worker normalizes and redacts). */
export interface SampledRequest {
  record: ProbeRequest;
  /** Unix milliseconds when the request started. */
  startUnixMs: number;
  /** The incoming `traceparent` header, if any. */
  traceparent?: string;
  scheme: 'http' | 'https';
  host?: string;
  userAgent?: string;
  route?: string;
}

export interface WorkerSettings {
  config: RegisterConfig;
  /** culprit's version, for the instrumentation scope. */
  version: string;
}

export type ToWorker =
  | { type: 'requests'; requests: SampledRequest[] }
  | { type: 'flush'; id: number }
  /** The app is exiting: send what is held, then set `done[0]` to 1 and notify (the app's thread waits on it). */
  | { type: 'flush-sync'; done: SharedArrayBuffer; timeoutMs: number }
  | { type: 'counts'; id: number }
  /** End of a CPU profile interval: the request windows the app's thread saw in it (register/route-windows.ts). */
  | { type: 'profile-cut'; windows: Float64Array; routes: string[]; dropped: number };

export type FromWorker =
  /** Requests handled: the main thread may send as many more (its pending count drops by `count`). */
  | { type: 'done'; count: number }
  | { type: 'flushed'; id: number }
  | { type: 'counts'; id: number; counts: WorkerCounts };

export interface WorkerCounts {
  requests: number;
  exportedSpans: number;
  droppedSpans: number;
  /** Spans waiting in the worker for an export (bounded). */
  queuedSpans: number;
  failures: Record<string, number>;
  /** Requests the worker could not turn into spans (a culprit bug; counted, never thrown). */
  faults: number;
  /** CPU profiles to Pyroscope, when CULPRIT_PYROSCOPE_URL is set. */
  profiles?: ProfileExportCounts;
}
