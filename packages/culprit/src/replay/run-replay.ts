/**
 * Sends a replay plan to a loopback target over keep-alive connections, at
 * the planned times, with at most `concurrency` requests in flight (a send
 * that finds them all busy waits, and is counted late). Outcomes are counted
 * by status and by error kind, never kept one by one.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { PlannedSend } from './plan.js';

export interface ReplayOutcome {
  sent: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Requests without a response, by error code (ECONNREFUSED, ECONNRESET…). */
  errors: Record<string, number>;
  /** Sends that left more than LATE_MS after their planned time. */
  late: number;
  durationS: number;
}

const LATE_MS = 50;

export interface ReplayRun {
  sends: PlannedSend[];
  target: URL;
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runReplay(run: ReplayRun): Promise<ReplayOutcome> {
  const secure = run.target.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: run.concurrency, rejectUnauthorized: false })
    : new http.Agent({ keepAlive: true, maxSockets: run.concurrency });
  const outcome: ReplayOutcome = { sent: 0, statuses: {}, errors: {}, late: 0, durationS: 0 };
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  const started = performance.now();
  const send = (planned: PlannedSend): Promise<void> =>
    new Promise((resolve) => {
      const { entry } = planned;
      const options: http.RequestOptions = {
        host: run.target.hostname.replace(/^\[|\]$/g, ''),
        port: run.target.port || (secure ? 443 : 80),
        method: entry.method,
        path: entry.path,
        headers: { 'user-agent': 'culprit-replay', ...entry.headers },
        agent,
      };
      const finish = (key: 'statuses' | 'errors', kind: string): void => {
        outcome[key][kind] = (outcome[key][kind] ?? 0) + 1;
        run.onProgress?.(++done, run.sends.length);
        resolve();
      };
      const request = (secure ? https : http).request(options, (response) => {
        response.resume();
        response.on('end', () => finish('statuses', String(response.statusCode ?? 0)));
        response.on('error', (error: NodeJS.ErrnoException) => finish('errors', error.code ?? 'EREAD'));
      });
      request.on('error', (error: NodeJS.ErrnoException) => finish('errors', error.code ?? error.name));
      request.end(entry.body);
    });
  try {
    for (const planned of run.sends) {
      if (run.signal?.aborted) break;
      await sleep(planned.atMs - (performance.now() - started), run.signal);
      while (inFlight.size >= run.concurrency && !run.signal?.aborted) await Promise.race(inFlight);
      if (run.signal?.aborted) break;
      if (performance.now() - started - planned.atMs > LATE_MS) outcome.late++;
      const flight = send(planned).finally(() => inFlight.delete(flight));
      inFlight.add(flight);
      outcome.sent++;
    }
    // Ctrl-C: the requests still out are dropped with the connections below
    if (!run.signal?.aborted) await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  outcome.durationS = (performance.now() - started) / 1000;
  return outcome;
}
