/**
 * Pools issue the real query from inside a "connection acquired" callback,
 * where the stack no longer holds the app's frames. The pool hooks capture
 * the stack at `pool.query()` and hand it to the connection-level hook through
 * async context. It is consumed once, so a queued request served from another
 * query's release (a different context) never borrows that query's stack.
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { currentScope, queriesWanted, type RequestScope } from '../request-context.js';
import { type AnyMethod, guarded } from './patch.js';
import { captureStackLazily, type StackThunk } from './stack.js';

/** The stack of a query whose stack could not be taken. */
export const noFrames: StackThunk = () => [];

interface PoolCall {
  frames: StackThunk;
  scope: RequestScope | undefined;
  used: boolean;
}

/** What the connection-level hook inherits from the pool call it serves. */
export interface Issued {
  frames: StackThunk;
  scope: RequestScope | undefined;
}

const poolCalls = new AsyncLocalStorage<PoolCall>();

/** Runs `body` (the pool's own method) with the caller's frames attached. */
export function withPoolStack<T>(frames: StackThunk, body: () => T): T {
  return poolCalls.run({ frames, scope: currentScope(), used: false }, body);
}

/**
 * Stack and request of a query issued now: the hook's own frames, then the
 * frames and request of the pool call it serves (consumed once), if any.
 */
export function issuedHere(own: StackThunk): Issued {
  const call = poolCalls.getStore();
  if (!call || call.used) return { frames: own, scope: currentScope() };
  call.used = true;
  const pool = call.frames;
  return { frames: () => own().concat(pool()), scope: call.scope ?? currentScope() };
}

/** Wraps a pool's `query`/`execute` so the connection-level hook sees the app's frames. */
export function carryPoolStack(label: string, original: AnyMethod): AnyMethod {
  return function poolQuery(this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    const frames = guarded(label, noFrames, () => captureStackLazily(poolQuery));
    return withPoolStack(frames, () => original.apply(this, args));
  };
}

/**
 * Wraps a pool's connection getter (`getConnection(cb)`, `connect(cb)`) so a
 * callback queued until another query releases a connection runs in the
 * context of the call that queued it, not the releasing query's: its request
 * and stack stay its own (500 queries through a pool of 10 all keep theirs).
 */
export function keepQueuedContext(original: AnyMethod): AnyMethod {
  return function getConnection(this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    const bound = args.map((arg) => (typeof arg === 'function' ? AsyncResource.bind(arg as AnyMethod) : arg));
    return original.apply(this, bound);
  };
}
