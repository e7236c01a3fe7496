/**
 * ioredis (4 to 6): every command a client sends passes
 * `Redis.prototype.sendCommand(command, stream)`; a pipeline or MULTI is
 * `Pipeline.prototype.exec()`, whose commands reach sendCommand with the
 * pipeline's `stream` and are counted in its one round trip instead.
 * A command's completion is seen by wrapping its own resolve/reject (no extra
 * handler on the app's promise, so an ignored rejection stays unhandled); a
 * pipeline's through its promise, which ioredis hands out as is.
 * A scan stream (`scanStream`, `sscanStream`, …) sends its SCANs from its
 * `_read`, which the stream machinery calls on later ticks with none of the
 * app's frames: the stack where the app made the stream is lent to them.
 */
import { performance } from '../clock.js';
import { closeOwnLater, openOwn, ownCaptureWanted } from '../entry-stacks.js';
import { noteFault } from '../faults.js';
import type { FrameSource, StackHolder } from '../frame-source.js';
import { onCommonJsFile, packageFile } from '../queries/module-hook.js';
import { captureStackLater } from '../request-context.js';
import { addRemoteCall, endCall, type RawRedisCall, remoteScope, replySize } from './raw-call.js';
import { batchSummary, commandShape } from './redis-shape.js';

interface Command {
  name?: unknown;
  args?: unknown[];
  resolve?: (value: unknown) => unknown;
  reject?: (error: unknown) => unknown;
}
type SendCommand = (this: unknown, command: Command, stream?: unknown, ...rest: unknown[]) => unknown;
type Exec = (this: PipelineLike, ...args: unknown[]) => unknown;
interface PipelineLike {
  _queue?: Command[];
  _transactions?: number;
}

const PATCHED = Symbol.for('culprit.ioredis');
/**
 * Marks a command recorded once (ioredis re-sends queued commands through sendCommand after (re)connecting),
 * on the command itself: a WeakSet entry per command, an object just made, cost the scavenger an ephemeron each.
 */
const SEEN = Symbol('culprit.ioredis.seen');
type Marked = { [SEEN]?: true };
const recordedPipelines = new WeakSet<object>();

/** The stack of the app line that made the scan stream whose `_read` is sending a SCAN right now. */
let lentToScan: FrameSource | undefined;

interface ReadableLike {
  _read?: (this: unknown, ...args: unknown[]) => unknown;
}

/** Wraps `createScanStream` so each stream made while a request records lends its maker's stack to its SCANs. */
function lendScanStreams(proto: Record<string | symbol, unknown>): void {
  const original = proto.createScanStream;
  if (typeof original !== 'function') return;
  proto.createScanStream = function createScanStream(this: unknown, ...args: unknown[]) {
    const stream = original.apply(this, args) as ReadableLike;
    try {
      const read = stream?._read;
      if (remoteScope() && typeof read === 'function') {
        const maker = captureStackLater(createScanStream);
        stream._read = function scanRead(this: unknown, ...readArgs: unknown[]) {
          const outer = lentToScan;
          lentToScan = maker;
          try {
            return read.apply(this, readArgs);
          } finally {
            lentToScan = outer;
          }
        };
      }
    } catch (error) {
      noteFault('ioredis createScanStream', error);
    }
    return stream;
  };
}

function patchRedis(exports: unknown): void {
  const proto = (exports as { default?: { prototype?: Record<string | symbol, unknown> } }).default?.prototype;
  const original = proto?.sendCommand as SendCommand | undefined;
  if (!proto || typeof original !== 'function' || proto[PATCHED]) return;
  proto[PATCHED] = true;
  lendScanStreams(proto);
  proto.sendCommand = function sendCommand(this: unknown, command: Command, stream?: unknown, ...rest: unknown[]) {
    if (stream !== undefined || !command) return original.call(this, command, stream, ...rest);
    // the flag check before the lookup: an idle probe looks nothing up
    const scope = remoteScope();
    if (!scope || (command as Marked)[SEEN]) return original.call(this, command, stream, ...rest);
    try {
      (command as Marked)[SEEN] = true;
      const shape = commandShape(command.name, command.args ?? []);
      let frames: FrameSource;
      if (lentToScan) frames = lentToScan;
      else if (ownCaptureWanted()) {
        // taken in this body: no helper's frame above it for V8 to walk (Node 20: ≈2–3k instructions each)
        const holder: StackHolder = {};
        const limit = openOwn(sendCommand);
        try {
          Error.captureStackTrace(holder, sendCommand);
        } finally {
          frames = closeOwnLater(holder, sendCommand, limit);
        }
      } else frames = captureStackLater(sendCommand);
      // every field set at once: one object shape, no transition as the reply and the end arrive
      const call: RawRedisCall = {
        kind: 'redis',
        client: 'ioredis',
        command: shape.command,
        key: shape.key,
        args: shape.args,
        commands: 1,
        batch: undefined,
        replyBytes: undefined,
        startedAt: performance.now(),
        endedAt: undefined,
        error: undefined,
        frames,
      };
      const { resolve, reject } = command;
      if (typeof resolve === 'function' && typeof reject === 'function') {
        command.resolve = (value: unknown) => {
          call.replyBytes = replySize(value);
          endCall(call);
          return resolve(value);
        };
        command.reject = (error: unknown) => {
          endCall(call, error);
          return reject(error);
        };
      }
      addRemoteCall(scope, call);
    } catch (error) {
      noteFault('ioredis sendCommand', error);
    }
    return original.call(this, command, stream, ...rest);
  };
}

function batchCall(pipeline: PipelineLike, below: (...args: never[]) => unknown): RawRedisCall {
  const queue = (pipeline._queue ?? []).filter((c) => {
    const name = String(c.name ?? '').toUpperCase();
    return name !== 'MULTI' && name !== 'EXEC';
  });
  const names = new Map<string, number>();
  for (const command of queue) {
    const name = String(command.name ?? '').toUpperCase();
    names.set(name, (names.get(name) ?? 0) + 1);
  }
  const first = queue[0] ? commandShape(queue[0].name, queue[0].args ?? []) : undefined;
  const call: RawRedisCall = {
    kind: 'redis',
    client: 'ioredis',
    command: (pipeline._transactions ?? 0) > 0 ? 'MULTI' : 'PIPELINE',
    commands: queue.length,
    batch: batchSummary(names),
    startedAt: performance.now(),
    frames: captureStackLater(below),
  };
  if (first?.key !== undefined) call.key = first.key;
  return call;
}

function patchPipeline(exports: unknown): void {
  const proto = (exports as { default?: { prototype?: Record<string | symbol, unknown> } }).default?.prototype;
  const original = proto?.exec as Exec | undefined;
  if (!proto || typeof original !== 'function' || proto[PATCHED]) return;
  proto[PATCHED] = true;
  proto.exec = function exec(this: PipelineLike, ...args: unknown[]) {
    // exec calls itself again once connected: the first call is the round trip
    if (recordedPipelines.has(this)) return original.apply(this, args);
    const scope = remoteScope();
    if (!scope) return original.apply(this, args);
    let call: RawRedisCall | undefined;
    try {
      recordedPipelines.add(this);
      call = batchCall(this, exec);
      addRemoteCall(scope, call);
    } catch (error) {
      noteFault('ioredis exec', error);
    }
    const result = original.apply(this, args);
    // every exec path (MULTI's wrapper, retries, the callback form) answers with the pipeline's own promise;
    // observing it keeps the identity the app gets (ioredis hands out that promise, not a copy)
    const settled = (this as { promise?: unknown }).promise ?? result;
    if (call && settled instanceof Promise) {
      const done = call;
      settled.then(
        (value: unknown) => {
          done.replyBytes = replySize(value);
          endCall(done);
        },
        (error: unknown) => endCall(done, error),
      );
    }
    return result;
  };
}

export function installIoredisHooks(): void {
  onCommonJsFile(packageFile('ioredis', 'built/Redis.js'), patchRedis);
  onCommonJsFile(packageFile('ioredis', 'built/Pipeline.js'), patchPipeline);
}
