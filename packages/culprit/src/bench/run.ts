import { Connection, type ConnectionHost, type Sample } from './connection.js';
import type { LoadOptions } from './options.js';
import { buildTarget, RedirectTargets, type Target } from './request.js';
import { type BenchStats, createStats } from './stats.js';

/**
 * A paced send that leaves this much later than its slot counts as late
 * ("fell behind"). Timers fire up to ~1 ms late on an idle machine, so a
 * smaller bound would flag every send.
 */
export const LATE_AFTER_MS = 2;

export interface RunControl {
  /** Aborting ends the run at once; what was done is still returned. */
  signal?: AbortSignal | undefined;
  /** Called for every completed request (only `-o csv` needs this). */
  onSample?: ((sample: Sample) => void) | undefined;
  /** Live counters, readable while the run goes (progress line); a fresh set if omitted. */
  stats?: BenchStats | undefined;
}

/**
 * Runs one load: `concurrency` connections share a request budget (-n) or a
 * deadline (-z), optionally paced to a total rate (-q). Resolves when every
 * connection has stopped; never rejects for what the server does.
 */
export function runLoad(load: LoadOptions, control: RunControl = {}): Promise<BenchStats> {
  const stats = control.stats ?? createStats();
  return new Promise((resolve) => {
    const connections = new Set<Connection>();
    const startedAt = performance.now();
    const interval = load.rate === undefined ? 0 : 1000 / load.rate;
    let claimed = 0;
    let stopping = false;
    let ended = false;
    const timers: NodeJS.Timeout[] = [];

    const end = (): void => {
      if (ended) return;
      ended = true;
      stats.durationMs = performance.now() - startedAt;
      for (const t of timers) clearTimeout(t);
      control.signal?.removeEventListener('abort', stopAll);
      resolve(stats);
    };
    const stopAll = (): void => {
      stopping = true;
      for (const c of [...connections]) c.stop();
    };

    const base: Target = buildTarget(load, new URL(load.url));
    const host: ConnectionHost = {
      load,
      stats,
      base,
      redirects: new RedirectTargets(load),
      startedAt,
      claim() {
        if (stopping || (load.requests !== undefined && claimed >= load.requests)) return null;
        const k = claimed++;
        return interval === 0 ? Number.NaN : startedAt + k * interval;
      },
      sent(intended, actual) {
        if (actual - intended > LATE_AFTER_MS) stats.lateSends++;
      },
      onSample: control.onSample,
      finished(connection) {
        connections.delete(connection);
        if (connections.size === 0) end();
      },
    };

    if (control.signal?.aborted) {
      end();
      return;
    }
    control.signal?.addEventListener('abort', stopAll, { once: true });
    if (load.durationMs !== undefined) timers.push(setTimeout(stopAll, load.durationMs));
    if (load.timeoutMs > 0) {
      // One sweep for all connections instead of a timer per request (cheaper, ±5% of the timeout).
      const every = Math.min(250, Math.max(5, load.timeoutMs / 20));
      timers.push(
        setInterval(() => {
          const now = performance.now();
          for (const c of connections) c.checkTimeout(now, load.timeoutMs);
        }, every),
      );
    }
    const list = Array.from({ length: load.concurrency }, () => new Connection(host));
    for (const c of list) connections.add(c);
    for (const c of list) c.start();
  });
}
