/**
 * Which of a file's requests go out, and when: at their recorded offsets, or
 * evenly at `rate` per second. Unsafe methods (POST, PUT, PATCH, DELETE) are
 * left out unless asked for, as everywhere in culprit: replaying them may
 * insert rows or charge twice. Pure.
 */
import { isUnsafeMethod } from '../target/request-shape.js';
import type { ReplayEntry } from './entry.js';

export interface PlannedSend {
  /** ms after the replay's start. */
  atMs: number;
  entry: ReplayEntry;
}

export interface ReplayPlan {
  sends: PlannedSend[];
  /** Unsafe requests left out, by method. */
  skippedUnsafe: Record<string, number>;
}

export function planReplay(
  entries: readonly ReplayEntry[],
  options: { rate?: number; includeUnsafe: boolean; limit?: number },
): ReplayPlan {
  const skippedUnsafe: Record<string, number> = {};
  const kept: ReplayEntry[] = [];
  for (const entry of entries) {
    if (options.limit !== undefined && kept.length >= options.limit) break;
    if (!options.includeUnsafe && isUnsafeMethod(entry.method)) {
      skippedUnsafe[entry.method] = (skippedUnsafe[entry.method] ?? 0) + 1;
      continue;
    }
    kept.push(entry);
  }
  const start = kept[0]?.atMs ?? 0;
  const sends = kept.map((entry, i) => ({
    atMs: options.rate === undefined ? entry.atMs - start : (i * 1000) / options.rate,
    entry,
  }));
  return { sends, skippedUnsafe };
}
