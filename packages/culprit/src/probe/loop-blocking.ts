/**
 * Event-loop blocking per request: a 1 ms timer chain runs while a request is
 * in flight; a gap between ticks longer than the interval is a synchronous
 * stretch. The stretch still open when the response finishes counts too, so a
 * handler that blocks start to finish is measured. Precision is about ±1 ms.
 * Stretches of STRETCH_MIN_MS and more are kept with their place on the
 * request's time axis (the waterfall draws them beside the I/O they delay).
 */

import type { BlockingStretch } from '../capture/types.js';
import { performance } from './clock.js';

const INTERVAL_MS = 1;
/** Shorter gaps are the timer's own jitter under load, not the app's work. */
const STRETCH_MIN_MS = 3;
/** Stretches kept per request (the longest): a request blocking 10,000 times needs no 10,000 bars. */
const STRETCH_LIMIT = 100;

interface Watch {
  startedAt: number;
  maxMs: number;
  stretches: BlockingStretch[];
}

export interface BlockingReport {
  /** The longest stretch, milliseconds. */
  longestMs: number;
  /** Stretches of STRETCH_MIN_MS and more, in time order, offsets from the watch's start. */
  stretches: BlockingStretch[];
}

const watches = new Set<Watch>();
let lastTick = 0;
let timer: NodeJS.Timeout | undefined;

function keep(watch: Watch, endedAt: number, durationMs: number): void {
  if (durationMs < STRETCH_MIN_MS) return;
  const stretch = { startMs: Math.max(0, endedAt - durationMs - watch.startedAt), durationMs };
  if (watch.stretches.length < STRETCH_LIMIT) {
    watch.stretches.push(stretch);
    return;
  }
  // full: the new stretch replaces the shortest kept one when it is longer
  let shortest = 0;
  for (let i = 1; i < watch.stretches.length; i++) {
    if ((watch.stretches[i]?.durationMs ?? 0) < (watch.stretches[shortest]?.durationMs ?? 0)) shortest = i;
  }
  if ((watch.stretches[shortest]?.durationMs ?? 0) < durationMs) watch.stretches[shortest] = stretch;
}

function tick(): void {
  const now = performance.now();
  for (const watch of watches) {
    const gap = now - Math.max(lastTick, watch.startedAt) - INTERVAL_MS;
    if (gap > watch.maxMs) watch.maxMs = gap;
    keep(watch, now, gap);
  }
  lastTick = now;
  timer = watches.size > 0 ? setTimeout(tick, INTERVAL_MS).unref() : undefined;
}

/** Starts watching; the returned function stops and reports the stretches seen. */
export function watchBlocking(startedAt = performance.now()): () => BlockingReport {
  const watch: Watch = { startedAt, maxMs: 0, stretches: [] };
  watches.add(watch);
  if (!timer) {
    lastTick = watch.startedAt;
    timer = setTimeout(tick, INTERVAL_MS).unref();
  }
  return () => {
    watches.delete(watch);
    const now = performance.now();
    const open = now - Math.max(lastTick, watch.startedAt);
    keep(watch, now, open);
    return {
      longestMs: Math.max(watch.maxMs, open, 0),
      stretches: watch.stretches.sort((a, b) => a.startMs - b.startMs),
    };
  };
}
