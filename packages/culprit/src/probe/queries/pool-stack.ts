/**
 * Pools issue the real query from inside a "connection acquired" callback,
 * where the stack no longer holds the app's frames. The pool hooks capture
 * the stack at `pool.query()` and hand it to the connection-level hook through
 * async context. It is consumed once, so a queued request served from another
 * query's release (a different context) never borrows that query's stack.
 *
 * A pool call is handed over without an async-context run (`handed`): the
 * pool either calls the driver before its method returns, or later from the
 * connection getter's callback, which keepQueuedContext binds to the call.
 * AsyncLocalStorage.run copies the context's map of stores on every call
 * (≈7k instructions per query on Node 24); a module slot set around the
 * synchronous call costs nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { BuiltStack, JoinedStack } from '../composed-stacks.js';
import { noteFault } from '../faults.js';
import { type FrameSource, NO_FRAMES, type StackHolder } from '../frame-source.js';
import {
  currentScope,
  queriesWanted,
  type RequestScope,
  runInScopeStore,
  scopeCompanion,
  scopeStore,
  wholeStacksWanted,
} from '../request-context.js';
import { type AnyMethod, guarded } from './patch.js';
import { captureOwnFrames, captureStackLazily, closeOwnCapture, openOwnCapture, ownCaptureWanted } from './stack.js';

/** The stack of a query whose stack could not be taken. */
export const noFrames: FrameSource = NO_FRAMES;

interface PoolCall {
  frames: FrameSource;
  scope: RequestScope | undefined;
  used: boolean;
  /** Lent to every query below it rather than consumed by the first (`withEntryIssuer`). */
  sticky?: boolean;
  /** A sticky call's frames hold an application frame (read once, by the first query below it: `issuedAt`). */
  named?: boolean;
  /** App code an entry called back (a transaction's callback): the driver's own frames may name a line of it. */
  ownFirst?: boolean;
  precise?: boolean;
  built?: boolean;
}

/** What the connection-level hook inherits from the pool call it serves. */
export interface Issued {
  frames: FrameSource;
  scope: RequestScope | undefined;
  /**
   * The frames were taken in the app's own call of the library (Prisma's
   * model call), and the library's hook keeps other calls' work out of its
   * context: they replace the async frames of the stacks taken later, which
   * lead past the call to its callers when the app returns the query without
   * awaiting it (`return prisma.book.findMany()`).
   */
  precise?: boolean;
  /**
   * The frames are where a query builder was made (Knex): the hook's own
   * stack, when it reaches the app (native async stack traces), stays the
   * query's; these stand in when it does not, and name the line that built
   * the statement (`BuiltStack`).
   */
  built?: boolean;
}

// read only inside a recorded request: idle with the request scopes' storage (setScopesOnDemand)
const poolCalls = scopeCompanion(new AsyncLocalStorage<PoolCall>());

/**
 * The pool call whose method (or bound connection callback) runs now, synchronously: it stands for the
 * async context's while set; null says "no pool call" whatever the context holds; undefined: read the context.
 */
let handed: PoolCall | null | undefined;

/** The pool call this code runs in: the one handed over synchronously, else the async context's. */
function currentPoolCall(): PoolCall | undefined {
  return handed === undefined ? poolCalls.getStore() : (handed ?? undefined);
}

/** Runs `body` with `call` handed over (null: none), then restores what was handed before. */
function handOver<T>(call: PoolCall | null | undefined, body: () => T): T {
  const previous = handed;
  handed = call;
  try {
    return body();
  } finally {
    handed = previous;
  }
}

/** Runs `body` in the async context's own pool call (the stores the with*Issuer functions set stay visible). */
function withContextCall<T>(body: () => T): T {
  return handed === undefined ? body() : handOver(undefined, body);
}

/**
 * Runs `body` (the pool's own method) with the caller's frames attached, and
 * after them those of a query builder's entry that no query used yet
 * (`enterIssuer`: an ORM calling the pool from its own `then()`).
 */
export function withPoolStack<T>(frames: FrameSource, body: () => T): T {
  const outer = currentPoolCall();
  if (!outer || outer.used) return handOver({ frames, scope: currentScope(), used: false }, body);
  // a query builder's frames (Kysely's executor, over pg-pool's connect) are for the query the connection
  // runs next, whose own stack they stand beside (BuiltStack): the pool call passes them on unused
  if (outer.built) return handOver(outer, body);
  if (!outer.sticky) outer.used = true;
  const all = new JoinedStack(frames, outer.frames, outer.precise === true);
  return handOver({ frames: all, scope: outer.scope ?? currentScope(), used: false, precise: outer.precise }, body);
}

/**
 * Makes `issued` (a query builder's entry, in the app's code) the issuer of
 * the next query run from this async context: `await db.select()…` runs the
 * query from `then()`, a microtask whose stack no longer holds the app's
 * frames but whose async context is the app's. The next query consumes it.
 */
export function enterIssuer(issued: Issued): void {
  poolCalls.enterWith({ frames: issued.frames, scope: issued.scope, used: false });
  // the rest of a pool call's synchronous body reads the entry too (handOver restores its own after it)
  if (handed !== undefined) handed = undefined;
}

/**
 * Runs `body` with frames and request taken earlier (a query builder's, at
 * its creation), for libraries whose promises lose both before the driver
 * is called (Knex on bluebird).
 */
export function withIssuer<T>(issued: Issued, body: () => T): T {
  const call = { frames: issued.frames, scope: issued.scope, used: false, built: issued.built };
  return poolCalls.run(call, withContextCall, body);
}

/**
 * Runs `body`, an ORM's entry point called by the app, so that every query it
 * issues, however many awaits later, carries the entry's frames and request:
 * TypeORM 0.2's tslib `__awaiter` generators resume from promise jobs that
 * hold none of the app's frames, and one call (`save()`: a transaction)
 * issues several statements. An entry called inside another's goes first
 * with the outer's frames after it: called by the app (a `find` in a
 * transaction's callback) it names the line; called by the ORM itself after
 * an await (`save()`'s inserts), it holds no app frame and the outer's does.
 */
export function withEntryIssuer<T>(issued: Issued, body: () => T): T {
  const outer = currentPoolCall();
  const frames = outer?.sticky ? new JoinedStack(issued.frames, outer.frames) : issued.frames;
  const scope = issued.scope ?? (outer?.sticky ? outer.scope : undefined);
  const call = { frames, scope, used: false, sticky: true, precise: issued.precise, built: issued.built };
  return poolCalls.run(call, withContextCall, body);
}

/** Whether an ORM entry's issuer is lent to the code running now (`withEntryIssuer`). */
export function insideEntry(): boolean {
  return currentPoolCall()?.sticky === true;
}

/** Runs `body` with no issuer: work a library starts in a context that carries another call's issuer. */
export function withoutIssuer<T>(body: () => T): T {
  return poolCalls.exit(handOver, null, body);
}

/**
 * Stack and request of a query issued now: the hook's own frames, then the
 * frames and request of the pool call it serves (consumed once), if any.
 */
export function issuedHere(own: FrameSource): Issued {
  const call = currentPoolCall();
  if (!call || call.used) return { frames: own, scope: currentScope() };
  if (!call.sticky) call.used = true;
  const pool = call.frames;
  if (call.built) return { frames: new BuiltStack(own, pool), scope: call.scope ?? currentScope() };
  // no frames of its own (issuedAt below a plain pool call): the pool call's, with no join around them
  if (own === NO_FRAMES) return { frames: pool, scope: call.scope ?? currentScope() };
  return { frames: new JoinedStack(own, pool, call.precise === true), scope: call.scope ?? currentScope() };
}

/** True when a pool call or query builder lent this context an issuer no query consumed yet (issuedHere reads it). */
export function issuerPending(): boolean {
  const call = currentPoolCall();
  return call !== undefined && !call.used;
}

/**
 * issuedHere with the hook's own stack taken at `below`: in full when no pool
 * call carries the app's frames. Below a plain pool call (`pool.query()` from
 * the app) the hook's own frames are the pool's and the driver's, and the pool
 * call's frames name the app's line: none are taken unless whole stacks are
 * wanted (a second capture was ≈ 40% of a recorded pg pool query's stack
 * cost). Below Prisma's call (precise), an ORM's entry (sticky) whose frames
 * hold no application frame, or app code the entry called back, the first few
 * are (captureOwnFrames): the driver may have been called from a later line of
 * the app.
 */
export function issuedAt(below: (...args: never[]) => unknown): Issued {
  const call = currentPoolCall();
  // a builder's frames only stand in for the hook's own: those are taken whole, as without a pool call
  if (!call || call.used || call.built) return issuedHere(captureStackLazily(below));
  if (!wholeStacksWanted() && !call.precise && (!call.sticky || entryNamesApp(call))) return issuedHere(NO_FRAMES);
  return issuedHere(captureOwnFrames(below));
}

/**
 * Whether the hook's own frames can be left out below an ORM's entry: its frames already hold the app's line,
 * and the ORM issues its statements after awaits of its own, from stacks that hold none (TypeORM 0.2: a second
 * capture was ≈ 20k instructions per query). Not in code the entry called back (`runsAsCallerCallback`): a
 * transaction's callback may call the driver itself, whose own frames then name the callback's line.
 */
function entryNamesApp(call: PoolCall): boolean {
  if (call.ownFirst) return false;
  call.named ??= call.frames.appFrame() !== undefined;
  return call.named;
}

/**
 * Wraps `callback`, app code passed to an ORM's entry (a transaction's callback), so that the driver hooks
 * below it take their own frames again: a query the callback sends to the driver itself names the callback's
 * line, not the entry's. Entries called inside it lend their own frames as before.
 */
export function runsAsCallerCallback(callback: AnyMethod): AnyMethod {
  return function callerCallback(this: unknown, ...args: unknown[]) {
    const call = currentPoolCall();
    if (!call?.sticky || call.ownFirst) return callback.apply(this, args);
    const inside: PoolCall = { ...call, used: false, ownFirst: true };
    return poolCalls.run(inside, withContextCall, () => callback.apply(this, args));
  };
}

/**
 * Wraps a pool's `query`/`execute` so the connection-level hook sees the app's frames. `taken`: the frames a
 * wrapper the app called (a promise pool's method) took in its own body, below itself, where V8 reads the
 * app's frame first and walks none of the wrapper's own frames above it; undefined: the stack is taken here.
 */
export function carryPoolStack(label: string, original: AnyMethod, taken?: () => FrameSource | undefined): AnyMethod {
  return function poolQuery(this: unknown, ...args: unknown[]) {
    if (!queriesWanted()) return original.apply(this, args);
    // taken in this body: each function between the hook and V8's capture is one more frame walked
    let frames = taken?.();
    if (frames === undefined) {
      try {
        if (ownCaptureWanted()) {
          const holder: StackHolder = {};
          const limit = openOwnCapture(poolQuery);
          try {
            Error.captureStackTrace(holder, poolQuery);
          } finally {
            frames = closeOwnCapture(holder, poolQuery, limit);
          }
        } else frames = captureStackLazily(poolQuery);
      } catch (error) {
        noteFault(label, error);
        frames = noFrames;
      }
    }
    return withPoolStack(frames ?? noFrames, () => original.apply(this, args));
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
    const bound = args.map((arg) => (typeof arg === 'function' ? bindHooksContext(arg as AnyMethod) : arg));
    return original.apply(this, bound);
  };
}

/**
 * `fn` bound to what the hooks read from this async context: its request scope and pool call.
 * AsyncResource.bind would restore every store, but it costs an async resource and, on Node 20,
 * two deprecation wrappers per call: ≈6% of a recorded pg query's CPU in a profile.
 */
function bindHooksContext(fn: AnyMethod): AnyMethod {
  const scope = scopeStore();
  const call = currentPoolCall() ?? null;
  return function boundToCaller(this: unknown, ...args: unknown[]) {
    // called back in the caller's own context (a connection was free): nothing to restore
    const sameScope = scopeStore() === scope;
    if (sameScope && (currentPoolCall() ?? null) === call) return fn.apply(this, args);
    // no closure unless the request scope must be restored too (a connection freed by another request's query)
    const previous = handed;
    handed = call;
    try {
      return sameScope ? fn.apply(this, args) : runInScopeStore(scope, () => fn.apply(this, args));
    } finally {
      handed = previous;
    }
  };
}

/**
 * Wraps a query builder's factory (Knex's `queryBuilder`, Objection's `forClass`) so each builder keeps, under
 * `key`, where it was made and the request it was made in: a builder run later (handed back unawaited, or on
 * bluebird) lends those to its statements. Inside an ORM's own execution its entry already lends the app's
 * frames, so nothing is kept there.
 */
export function rememberBuilderOrigin(label: string, key: symbol): (original: AnyMethod) => AnyMethod {
  return (original) =>
    function build(this: unknown, ...args: unknown[]) {
      const builder = original.apply(this, args);
      if (queriesWanted() && !insideEntry() && typeof builder === 'object' && builder !== null) {
        guarded(label, undefined, () => {
          // built: the driver call's own stack names the query (the line that awaited it) when it reaches the
          // app; these frames stand in when it does not (bluebird), and name the line that built it
          (builder as Record<symbol, Issued>)[key] = {
            frames: captureStackLazily(build),
            scope: currentScope(),
            built: true,
          };
        });
      }
      return builder;
    };
}
