/**
 * Event-loop blocking per request: a 1 ms timer chain runs while a request is
 * in flight; a gap between ticks longer than the interval is a synchronous
 * stretch. The stretch still open when the response finishes counts too, so a
 * handler that blocks start to finish is measured. Precision is about ±1 ms.
 */
import { performance } from 'node:perf_hooks';

const INTERVAL_MS = 1;

interface Watch {
  startedAt: number;
  maxMs: number;
}

const watches = new Set<Watch>();
let lastTick = 0;
let timer: NodeJS.Timeout | undefined;

function tick(): void {
  const now = performance.now();
  for (const watch of watches) {
    const gap = now - Math.max(lastTick, watch.startedAt) - INTERVAL_MS;
    if (gap > watch.maxMs) watch.maxMs = gap;
  }
  lastTick = now;
  timer = watches.size > 0 ? setTimeout(tick, INTERVAL_MS).unref() : undefined;
}

/** Starts watching; the returned function stops and gives the longest stretch in ms. */
export function watchBlocking(): () => number {
  const watch: Watch = { startedAt: performance.now(), maxMs: 0 };
  watches.add(watch);
  if (!timer) {
    lastTick = watch.startedAt;
    timer = setTimeout(tick, INTERVAL_MS).unref();
  }
  return () => {
    watches.delete(watch);
    const open = performance.now() - Math.max(lastTick, watch.startedAt);
    return Math.max(watch.maxMs, open, 0);
  };
}
