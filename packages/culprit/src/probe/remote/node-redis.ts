/**
 * node-redis 4 and 5 (`redis`, `@redis/client`): every command, pipelined or
 * in a MULTI, is queued through `RedisCommandsQueue.prototype.addCommand`.
 * The client writes what was queued since its last write as one write, so
 * commands added to one queue between two writes are one round trip (a
 * `Promise.all` of GETs is one; a loop of awaited GETs is one each). node-redis
 * 5 takes them through the queue's `commandsToWrite`, which closes the batch;
 * node-redis 4 (no such method) has its batches closed by the next microtask.
 *
 * On Node 20 every promise and reaction made inside a request's
 * AsyncLocalStorage context runs the async hooks (the store copied onto it):
 * node-redis 5's commands are settled from the queue entry's own `resolve` and
 * `reject`, and their batches closed by the write, so a recorded command makes
 * no promise of the probe's.
 */
import { dirname } from 'node:path';
import { performance } from '../clock.js';
import {
  captureStackBelowEntries,
  closeOwnBelowEntry,
  closeOwnLater,
  type EntryMethods,
  entryMethods,
  openOwn,
  ownCaptureWanted,
} from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import { FrameList, type FrameSource, type StackHolder } from '../frame-source.js';
import { onCommonJsFile, packageFile } from '../queries/module-hook.js';
import type { RequestScope } from '../request-context.js';
import { addRemoteCall, endCall, type RawRedisCall, remoteScope, replySize } from './raw-call.js';
import { batchSummary, commandShape } from './redis-shape.js';

type AddCommand = (this: object, args: unknown[], ...rest: unknown[]) => unknown;

interface Batch {
  scope: RequestScope;
  /** The queue it is open on (closed there when all its commands settled before a write took them). */
  queue: Queue;
  call: RawRedisCall;
  /** Commands by name, made when a second command joins (most round trips carry one). */
  names: Map<string, number> | undefined;
  pending: number;
  multi: boolean;
}

const PATCHED = Symbol.for('culprit.node-redis');
const LIST_PATCHED = Symbol.for('culprit.node-redis-list');
/**
 * A queue's open batch, on the queue itself (a WeakMap's set and delete per command cost a hash insert and a
 * deleted entry each): set at a batch's first command, cleared by the write that takes it (node-redis 5) or by
 * the microtask that closes the batches (node-redis 4).
 */
const OPEN = Symbol('culprit.node-redis-batch');
type Queue = { [OPEN]?: Batch | undefined };
/** node-redis 4's queues and batches opened in this synchronous run (flat pairs), closed by one microtask. */
const opened: Array<Queue | Batch> = [];
/**
 * The microtask that closes them is a reaction to this settled promise, not a `queueMicrotask`: inside a
 * request's AsyncLocalStorage context Node's `queueMicrotask` makes an AsyncResource and a bound function per
 * call (≈4.6k instructions on Node 24, where a reaction costs ≈0.8k). Same queue, same turn.
 */
const SETTLED = Promise.resolve();

function closeOpened(): void {
  for (let i = 0; i < opened.length; i += 2) {
    const queue = opened[i] as Queue;
    if (queue[OPEN] === opened[i + 1]) queue[OPEN] = undefined;
  }
  opened.length = 0;
}

/**
 * The client methods of one copy of node-redis every command of the app passes on its way to the queue,
 * nearest the app first (ENTRY_METHODS). A stack taken below the executor (`_executeCommand` in 5,
 * `commandsExecutor` in 4) holds the command method the app called and the app's frame: V8 reads two frames,
 * where below `sendCommand` it read four (and node-redis 4's executor calls a private method, so `sendCommand`
 * was not on its stack at all: each command took a second capture, below the hook).
 */
const entriesByDirectory = new Map<string, EntryMethods>();

/** The entries of the copy of node-redis whose client files are in `directory` (its queue and client share it). */
function entriesOf(directory: string): EntryMethods {
  let entries = entriesByDirectory.get(directory);
  if (!entries) {
    entries = entryMethods();
    entriesByDirectory.set(directory, entries);
  }
  return entries;
}

/** A new round trip's frames until addCommand takes them (in its own body: no frame of join's to walk). */
const UNTAKEN = new FrameList([]);

/** `closedByWrite`: the queue's `commandsToWrite` closes its batch (node-redis 5), no microtask needed. */
function join(queue: Queue, args: unknown[], closedByWrite: boolean): Batch | undefined {
  const scope = remoteScope();
  if (!scope) return undefined;
  const shape = commandShape(args[0], args, 1);
  const existing = queue[OPEN];
  if (existing && existing.scope === scope) {
    if (shape.command === 'EXEC') return existing;
    const call = existing.call;
    existing.names ??= new Map(existing.multi ? [] : [[call.command, 1]]);
    existing.names.set(shape.command, (existing.names.get(shape.command) ?? 0) + 1);
    call.commands += 1;
    call.command = existing.multi ? 'MULTI' : 'PIPELINE';
    call.batch = batchSummary(existing.names);
    call.args = undefined;
    return existing;
  }
  const multi = shape.command === 'MULTI';
  // every field set at once: one object shape, no transition as the reply and the end arrive
  const call: RawRedisCall = {
    kind: 'redis',
    client: 'node-redis',
    command: shape.command,
    key: shape.key,
    args: shape.args,
    commands: multi ? 0 : 1,
    batch: undefined,
    replyBytes: undefined,
    startedAt: performance.now(),
    endedAt: undefined,
    error: undefined,
    frames: UNTAKEN,
  };
  const batch: Batch = { scope, queue, call, names: undefined, pending: 0, multi };
  queue[OPEN] = batch;
  lastOpened = batch;
  if (!closedByWrite) {
    if (opened.length === 0) void SETTLED.then(closeOpened);
    opened.push(queue, batch);
  }
  addRemoteCall(scope, call);
  return batch;
}

function settleBatch(batch: Batch, error?: unknown): void {
  batch.pending -= 1;
  if (batch.pending !== 0) return;
  endCall(batch.call, error);
  // settled before any write took it (the queue refused it at once): a later command starts a round trip of its own
  if (batch.queue[OPEN] === batch) batch.queue[OPEN] = undefined;
}

/**
 * The batch of the command being added, while node-redis 5's addCommand runs: its queue entry (the object whose
 * `resolve` and `reject` the reply parser calls) is added to the write list inside it, synchronously.
 */
let adding: Batch | undefined;

interface QueueEntry {
  resolve?: unknown;
  reject?: unknown;
}

type Settle = (value: unknown) => unknown;

/**
 * Settles the batch from the queue entry's own `resolve`/`reject`, as the reply parser calls them: no promise
 * derived from the command's (a `then`, its reaction and one more microtask per command on the app's way to the
 * reply; on Node 20 each runs the async hooks). Closures, not one shared method: node-redis calls some entries'
 * `resolve` unbound (RESP2's PING while subscribed).
 */
function settleFromEntry(entry: QueueEntry, batch: Batch): void {
  const resolve = entry.resolve as Settle;
  const reject = entry.reject as Settle;
  if (typeof resolve !== 'function' || typeof reject !== 'function') return;
  batch.pending += 1;
  entry.resolve = (value: unknown): unknown => {
    try {
      batch.call.replyBytes = (batch.call.replyBytes ?? 0) + replySize(value);
      settleBatch(batch);
    } catch (error) {
      noteFault('node-redis reply', error);
    }
    return resolve(value);
  };
  entry.reject = (error: unknown): unknown => {
    try {
      settleBatch(batch, error);
    } catch (fault) {
      noteFault('node-redis reply', fault);
    }
    return reject(error);
  };
}

type ListAdd = (this: object, value: unknown, prepend?: unknown) => unknown;

/** node-redis 5's write list: the entry addCommand adds while a recorded command is being added. */
function patchList(exports: unknown): void {
  const proto = (exports as { DoublyLinkedList?: { prototype?: Record<string | symbol, unknown> } }).DoublyLinkedList
    ?.prototype;
  const original = proto?.add as ListAdd | undefined;
  if (!proto || typeof original !== 'function' || proto[LIST_PATCHED]) return;
  proto[LIST_PATCHED] = true;
  proto.add = function add(this: object, value: unknown, prepend?: unknown) {
    if (adding !== undefined) {
      const batch = adding;
      adding = undefined;
      try {
        if (value !== null && typeof value === 'object') settleFromEntry(value as QueueEntry, batch);
      } catch (error) {
        noteFault('node-redis entry', error);
      }
    }
    return original.call(this, value, prepend);
  };
}

type ToWrite = (this: Queue, ...args: unknown[]) => unknown;

/** node-redis 5's queue: the write takes every command queued since the last one, so it closes the open batch. */
function closeBatchesAtWrite(proto: Record<string | symbol, unknown>): boolean {
  const original = proto.commandsToWrite as ToWrite | undefined;
  if (typeof original !== 'function') return false;
  proto.commandsToWrite = function commandsToWrite(this: Queue, ...args: unknown[]) {
    this[OPEN] = undefined;
    return original.apply(this, args);
  };
  return true;
}

function patchQueue(exports: unknown, filename: string): void {
  const proto = (exports as { default?: { prototype?: Record<string | symbol, unknown> } }).default?.prototype;
  const original = proto?.addCommand as AddCommand | undefined;
  if (!proto || typeof original !== 'function' || proto[PATCHED]) return;
  proto[PATCHED] = true;
  const entries = entriesOf(dirname(filename));
  const closedByWrite = closeBatchesAtWrite(proto);
  proto.addCommand = function addCommand(this: Queue, args: unknown[], ...rest: unknown[]) {
    let batch: Batch | undefined;
    const handed = executing;
    executing = undefined;
    try {
      if (Array.isArray(args)) batch = join(this, args, closedByWrite);
      const entry = entries.methods[entries.last];
      if (batch?.call.frames !== UNTAKEN) {
        // a command joining a round trip already open: its call has its frames
      } else if (handed !== undefined) batch.call.frames = handed;
      else if (entry !== undefined && ownCaptureWanted()) {
        const holder: StackHolder = {};
        const limit = openOwn(entry);
        try {
          Error.captureStackTrace(holder, entry);
        } finally {
          batch.call.frames = closeOwnBelowEntry(holder, entry, limit, entries, addCommand);
        }
      } else batch.call.frames = captureStackBelowEntries(entries, addCommand);
    } catch (error) {
      noteFault('node-redis addCommand', error);
    }
    if (!batch) return original.call(this, args, ...rest);
    const pendingBefore = batch.pending;
    adding = batch;
    let result: unknown;
    try {
      result = original.call(this, args, ...rest);
    } finally {
      adding = undefined;
    }
    // the entry's resolve and reject were wrapped (node-redis 5), or the queue refused at once (full, aborted)
    if (batch.pending !== pendingBefore || !(result instanceof Promise)) return result;
    const into = batch;
    into.pending += 1;
    // the caller gets a promise that settles the same way, so an ignored rejection stays unhandled
    return result.then(
      (value) => {
        into.call.replyBytes = (into.call.replyBytes ?? 0) + replySize(value);
        settleBatch(into);
        return value;
      },
      (error) => {
        settleBatch(into, error);
        throw error;
      },
    );
  };
}

/** Where the app's commands enter one copy's client (ClientEntries): 5's and 4's names; MULTI and pipelines last. */
const ENTRY_METHODS = [
  '_executeCommand',
  'commandsExecutor',
  'sendCommand',
  '_executeMulti',
  '_executePipeline',
  'multiExecutor',
];

/** The last round trip opened: a command of its request while it is still open on its queue joins it. */
let lastOpened: Batch | undefined;
/** The frames the executor took for the addCommand it makes synchronously (wrapExecutor), until that takes them. */
let executing: FrameSource | undefined;
const EXECUTOR_PATCHED = Symbol.for('culprit.node-redis-executor');
type Execute = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps node-redis 5's `_executeCommand`, which every command method calls: it takes the stack in its own body,
 * where V8 walks the command method to the app's frame, and the addCommand it reaches synchronously (through
 * `sendCommand`, the `trace` helper and two arrows: on Node 20 Sparkplug frames, each summarized by a linear scan
 * of its bytecode offsets as a capture there walks it) takes those frames. A command that will join a round trip
 * already open takes none; one that reaches addCommand later (a client-side cache) takes its own there.
 * node-redis 4's command methods hold their executor from the class's definition: not wrapped.
 */
function wrapExecutor(proto: Record<string | symbol, unknown>): void {
  const original = proto._executeCommand as Execute | undefined;
  if (typeof original !== 'function' || proto[EXECUTOR_PATCHED]) return;
  proto[EXECUTOR_PATCHED] = true;
  proto._executeCommand = function executeCommand(this: unknown, ...args: unknown[]): unknown {
    if (!ownCaptureWanted()) return original.apply(this, args);
    const scope = remoteScope();
    const open = lastOpened;
    if (!scope || (open !== undefined && open.scope === scope && open.queue[OPEN] === open)) {
      return original.apply(this, args);
    }
    try {
      const holder: StackHolder = {};
      const limit = openOwn(executeCommand);
      try {
        Error.captureStackTrace(holder, executeCommand);
      } finally {
        executing = closeOwnLater(holder, executeCommand, limit);
      }
    } catch (error) {
      noteFault('node-redis executor', error);
    }
    try {
      return original.apply(this, args);
    } finally {
      executing = undefined;
    }
  };
}

function noteClient(exports: unknown, filename: string): void {
  const proto = (exports as { default?: { prototype?: Record<string, unknown> } }).default?.prototype;
  if (!proto) return;
  wrapExecutor(proto);
  entriesOf(dirname(filename)).methods = entryMethods(ENTRY_METHODS.map((name) => proto[name])).methods;
}

export function installNodeRedisHooks(): void {
  onCommonJsFile(packageFile('@redis/client', 'dist/lib/client/linked-list.js'), patchList);
  onCommonJsFile(packageFile('@redis/client', 'dist/lib/client/commands-queue.js'), patchQueue);
  onCommonJsFile(packageFile('@redis/client', 'dist/lib/client/index.js'), noteClient);
}
