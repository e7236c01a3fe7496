/**
 * The probe inside a worker thread (`--import`ed by the main thread's Worker
 * wrapper). It hooks the SQL drivers the worker
 * loads, opens request envelopes before the app's `parentPort` listeners see
 * them, runs those listeners in the request's scope, and sends each query to
 * the main thread, whose probe adds it to the request. Built-ins only.
 */
import { BroadcastChannel, isMainThread, parentPort } from 'node:worker_threads';
import { noteFault } from '../faults.js';
import { installQueryHooks } from '../queries/index.js';
import type { RawQueryEvent } from '../queries/types.js';
import { currentScope, type RequestScope, runInScope, setQueriesWanted } from '../request-context.js';
import { isEnvelope, QUERIES_KEY, type QueriesEnvelope, WORKER_CHANNEL, type WorkerQuery } from './envelope.js';

type Listener = (...args: unknown[]) => unknown;

/** Milliseconds between this thread's performance clock and the main thread's. */
const clockShift = performance.timeOrigin;

/** A parameter as structured cloning takes it (functions and class instances as text). */
function cloneable(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  return value instanceof Date || ArrayBuffer.isView(value) ? value : String(value);
}

/** Queries not yet sent to the main thread. */
let pending: WorkerQuery[] = [];
let flushScheduled = false;

function forward(channel: BroadcastChannel, event: RawQueryEvent): void {
  try {
    const scope = event.scope === undefined ? currentScope() : event.scope;
    if (!scope) return;
    // the fields one by one: a hook's event reads its stack through a getter and holds V8 call sites
    const { driver, sql, params, durationMs, rows, error, stack } = event;
    // on the main thread's clock (workers have their own time origin)
    const startedAt = event.startedAt === undefined ? undefined : event.startedAt + clockShift;
    pending.push({
      requestId: scope.requestId,
      event: {
        driver,
        sql,
        durationMs,
        rows,
        stack,
        ...(error === undefined ? {} : { error }),
        ...(startedAt === undefined ? {} : { startedAt }),
        params: params?.map(cloneable),
      },
    });
    if (!flushScheduled) {
      flushScheduled = true;
      // no message of the app's to ride on this turn: the side channel
      setImmediate(() => {
        flushScheduled = false;
        if (pending.length) channel.postMessage(pending.splice(0));
      }).unref();
    }
  } catch (error) {
    noteFault('worker query', error);
  }
}

/** The app's next message to the main thread carries the pending queries ahead of itself. */
function carryQueries(port: NonNullable<typeof parentPort>): void {
  const postMessage = port.postMessage;
  port.postMessage = function culpritPostMessage(this: unknown, value: unknown, ...rest: unknown[]) {
    let message = value;
    if (pending.length) {
      message = { [QUERIES_KEY]: pending, data: value } satisfies QueriesEnvelope;
      pending = [];
    }
    return Reflect.apply(postMessage, this, [message, ...rest]);
  } as typeof postMessage;
}

/** Opens an envelope: the listener runs with the inner data, in the request's scope. */
function opened(listener: Listener, asEvent: boolean): Listener {
  return function culpritWorkerListener(this: unknown, ...args: unknown[]) {
    const first = args[0];
    const value = asEvent ? (first as MessageEvent | undefined)?.data : first;
    if (!isEnvelope(value)) return listener.apply(this, args);
    const scope: RequestScope = { requestId: value.__culpritRequestId, queries: [], closed: false };
    const inner = asEvent ? new MessageEvent('message', { data: value.data }) : value.data;
    return runInScope(scope, () => listener.apply(this, [inner, ...args.slice(1)]));
  };
}

function wrapPort(port: NonNullable<typeof parentPort>): void {
  const wrappers = new WeakMap<Listener, Listener>();
  const wrapperOf = (listener: Listener, asEvent: boolean): Listener => {
    let wrapper = wrappers.get(listener);
    if (!wrapper) {
      wrapper = opened(listener, asEvent);
      wrappers.set(listener, wrapper);
    }
    return wrapper;
  };
  const target = port as unknown as Record<string, Listener>;
  for (const name of ['on', 'addListener', 'once', 'prependListener', 'prependOnceListener']) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    target[name] = function (this: unknown, type: unknown, listener: unknown, ...rest: unknown[]) {
      const wrapped =
        type === 'message' && typeof listener === 'function' ? wrapperOf(listener as Listener, false) : listener;
      return original.call(this, type, wrapped, ...rest);
    };
  }
  for (const name of ['off', 'removeListener', 'removeEventListener']) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    target[name] = function (this: unknown, type: unknown, listener: unknown, ...rest: unknown[]) {
      const wrapped = typeof listener === 'function' ? (wrappers.get(listener as Listener) ?? listener) : listener;
      return original.call(this, type, wrapped, ...rest);
    };
  }
  const addEventListener = target.addEventListener;
  if (typeof addEventListener === 'function') {
    target.addEventListener = function (this: unknown, type: unknown, listener: unknown, ...rest: unknown[]) {
      const wrapped =
        type === 'message' && typeof listener === 'function' ? wrapperOf(listener as Listener, true) : listener;
      return addEventListener.call(this, type, wrapped, ...rest);
    };
  }
  const proto = Object.getPrototypeOf(port) as object;
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'onmessage');
  if (descriptor?.set && descriptor.get) {
    const { get, set } = descriptor;
    Object.defineProperty(port, 'onmessage', {
      configurable: true,
      get() {
        return get.call(this);
      },
      set(listener: unknown) {
        set.call(this, typeof listener === 'function' ? wrapperOf(listener as Listener, true) : listener);
      },
    });
  }
}

if (!isMainThread && parentPort) {
  try {
    const channel = new BroadcastChannel(WORKER_CHANNEL);
    (channel as unknown as { unref?: () => void }).unref?.();
    // a worker only runs this while culprit traces: the hooks record whenever a request's scope is current
    setQueriesWanted(true);
    installQueryHooks((event) => forward(channel, event));
    wrapPort(parentPort);
    carryQueries(parentPort);
  } catch (error) {
    noteFault('worker probe', error);
  }
}
