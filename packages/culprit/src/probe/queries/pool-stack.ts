/**
 * Pools issue the real query from inside a "connection acquired" callback,
 * where the stack no longer holds the app's frames. The pool hooks capture
 * the stack at `pool.query()` and hand it to the connection-level hook through
 * async context. It is consumed once, so a queued request served from another
 * query's release (a different context) never borrows that query's stack.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RawFrame } from './types.js';

interface PoolCall {
  frames: RawFrame[];
  used: boolean;
}

const poolCalls = new AsyncLocalStorage<PoolCall>();

/** Runs `body` (the pool's own method) with the caller's frames attached. */
export function withPoolStack<T>(frames: RawFrame[], body: () => T): T {
  return poolCalls.run({ frames, used: false }, body);
}

/** The frames of the pool call this connection-level query serves, once; else []. */
export function takePoolStack(): RawFrame[] {
  const call = poolCalls.getStore();
  if (!call || call.used) return [];
  call.used = true;
  return call.frames;
}
