/**
 * node-redis 4 and 5 (`redis`, `@redis/client`): every command, pipelined or
 * in a MULTI, is queued through `RedisCommandsQueue.prototype.addCommand`.
 * The client writes what was queued in one synchronous run as one write, so
 * commands added to one queue before the next microtask are one round trip
 * (a `Promise.all` of GETs is one; a loop of awaited GETs is one each).
 */
import { performance } from '../clock.js';
import { noteFault } from '../faults.js';
import { onCommonJsFile, packageFile } from '../queries/module-hook.js';
import { captureStackBelowEntry, captureStackLater, type RequestScope } from '../request-context.js';
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
const open = new WeakMap<object, Batch>();
/** Queues and batches opened in this synchronous run (flat pairs), closed by one microtask. */
const opened: Array<object | Batch> = [];

function closeOpened(): void {
  for (let i = 0; i < opened.length; i += 2) {
    const queue = opened[i] as object;
    if (open.get(queue) === opened[i + 1]) open.delete(queue);
  }
  opened.length = 0;
}

function join(queue: object, args: unknown[]): Batch | undefined {
  const scope = remoteScope();
  if (!scope) return undefined;
  const shape = commandShape(args[0], args, 1);
  const existing = open.get(queue);
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
    // below the client's sendCommand when it is on the stack: V8 then reads none of the ~4 frames between it and
    // the queue (the trace wrapper, the queue's own), only the command's way down from the app
    frames: sendCommand ? captureStackBelowEntry(sendCommand, join) : captureStackLater(join),
  };
  const batch: Batch = { scope, call, names: undefined, pending: 0, multi };
  open.set(queue, batch);
  if (opened.length === 0) queueMicrotask(closeOpened);
  opened.push(queue, batch);
  addRemoteCall(scope, call);
  return batch;
}

function settleBatch(batch: Batch, error?: unknown): void {
  batch.pending -= 1;
  if (batch.pending === 0) endCall(batch.call, error);
}

function patchQueue(exports: unknown): void {
  const proto = (exports as { default?: { prototype?: Record<string | symbol, unknown> } }).default?.prototype;
  const original = proto?.addCommand as AddCommand | undefined;
  if (!proto || typeof original !== 'function' || proto[PATCHED]) return;
  proto[PATCHED] = true;
  proto.addCommand = function addCommand(this: object, args: unknown[], ...rest: unknown[]) {
    let batch: Batch | undefined;
    try {
      if (Array.isArray(args)) batch = join(this, args);
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

/** The client's `sendCommand` (the last copy loaded): every command passes it on its way to the queue. */
let sendCommand: unknown;

function noteClient(exports: unknown): void {
  const method = (exports as { default?: { prototype?: { sendCommand?: unknown } } }).default?.prototype?.sendCommand;
  if (typeof method === 'function') sendCommand = method;
}

export function installNodeRedisHooks(): void {
  onCommonJsFile(packageFile('@redis/client', 'dist/lib/client/commands-queue.js'), patchQueue);
  onCommonJsFile(packageFile('@redis/client', 'dist/lib/client/index.js'), noteClient);
}
