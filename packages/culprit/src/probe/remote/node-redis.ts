/**
 * node-redis 4 and 5 (`redis`, `@redis/client`): every command, pipelined or
 * in a MULTI, is queued through `RedisCommandsQueue.prototype.addCommand`.
 * The client writes what was queued in one synchronous run as one write, so
 * commands added to one queue before the next microtask are one round trip
 * (a `Promise.all` of GETs is one; a loop of awaited GETs is one each).
 */
import { dirname } from 'node:path';
import { performance } from '../clock.js';
import {
  captureStackBelowEntries,
  closeOwnBelowEntry,
  type EntryMethods,
  entryMethods,
  openOwn,
  ownCaptureWanted,
} from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import { FrameList, type StackHolder } from '../frame-source.js';
import { onCommonJsFile, packageFile } from '../queries/module-hook.js';
import type { RequestScope } from '../request-context.js';
import { addRemoteCall, endCall, type RawRedisCall, remoteScope, replySize } from './raw-call.js';
import { batchSummary, commandShape } from './redis-shape.js';

type AddCommand = (this: object, args: unknown[], ...rest: unknown[]) => unknown;

interface Batch {
  scope: RequestScope;
  call: RawRedisCall;
  /** Commands by name, made when a second command joins (most round trips carry one). */
  names: Map<string, number> | undefined;
  pending: number;
  multi: boolean;
}

const PATCHED = Symbol.for('culprit.node-redis');
/**
 * A queue's open batch, on the queue itself (a WeakMap's set and delete per command cost a hash insert and a
 * deleted entry each): set at a batch's first command, cleared by the microtask that closes the batches.
 */
const OPEN = Symbol('culprit.node-redis-batch');
type Queue = { [OPEN]?: Batch | undefined };
/** Queues and batches opened in this synchronous run (flat pairs), closed by one microtask. */
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

function join(queue: Queue, args: unknown[]): Batch | undefined {
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
  const batch: Batch = { scope, call, names: undefined, pending: 0, multi };
  queue[OPEN] = batch;
  if (opened.length === 0) void SETTLED.then(closeOpened);
  opened.push(queue, batch);
  addRemoteCall(scope, call);
  return batch;
}

function settleBatch(batch: Batch, error?: unknown): void {
  batch.pending -= 1;
  if (batch.pending === 0) endCall(batch.call, error);
}

function patchQueue(exports: unknown, filename: string): void {
  const proto = (exports as { default?: { prototype?: Record<string | symbol, unknown> } }).default?.prototype;
  const original = proto?.addCommand as AddCommand | undefined;
  if (!proto || typeof original !== 'function' || proto[PATCHED]) return;
  proto[PATCHED] = true;
  const entries = entriesOf(dirname(filename));
  proto.addCommand = function addCommand(this: Queue, args: unknown[], ...rest: unknown[]) {
    let batch: Batch | undefined;
    try {
      if (Array.isArray(args)) batch = join(this, args);
      const entry = entries.methods[entries.last];
      if (batch?.call.frames !== UNTAKEN) {
        // a command joining a round trip already open: its call has its frames
      } else if (entry !== undefined && ownCaptureWanted()) {
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
    const result = original.call(this, args, ...rest);
    if (!batch || !(result instanceof Promise)) return result;
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

function noteClient(exports: unknown, filename: string): void {
  const proto = (exports as { default?: { prototype?: Record<string, unknown> } }).default?.prototype;
  if (!proto) return;
  entriesOf(dirname(filename)).methods = entryMethods(ENTRY_METHODS.map((name) => proto[name])).methods;
}

export function installNodeRedisHooks(): void {
  onCommonJsFile(packageFile('@redis/client', 'dist/lib/client/commands-queue.js'), patchQueue);
  onCommonJsFile(packageFile('@redis/client', 'dist/lib/client/index.js'), noteClient);
}
