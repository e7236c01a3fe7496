/**
 * The debugger worker: a thread of the target that debugs the main thread
 * (a thread cannot pause itself). It places the breakpoints, and on a
 * `--when` match reads the paused stack, removes that spec's breakpoints and
 * resumes; only then does it post anything. It never waits on the main
 * thread while main is paused, and keeps itself alive with its own timer
 * (an inspector session holds no event-loop handle).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MainThreadDebugger } from './cdp.js';
import type { MainMessage, WorkerMessage, WorkerStart } from './protocol.js';
import { type Placed, placeBreakpoints } from './resolve.js';
import {
  type AsyncStackTrace,
  asyncFrames,
  type PausedCallFrame,
  readPausedFrames,
  toStackFrames,
} from './stack-reader.js';
import { UnknownTargetError } from './target-errors.js';

const start = workerData as WorkerStart;
const keepAlive = setInterval(() => {}, 2 ** 30);
const debug = new MainThreadDebugger();
let placed: Placed[] = [];
let stopping = false;
/** Pauses being handled; stop() lets them finish. */
const inFlight = new Set<Promise<void>>();

function post(message: WorkerMessage): void {
  parentPort?.postMessage(message);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface PausedParams {
  hitBreakpoints?: string[];
  callFrames: PausedCallFrame[];
  asyncStackTrace?: AsyncStackTrace;
}

/** Depth of async stacks while a `--when` waits: ORMs build rows after an await, far from the app's frame. */
const ASYNC_STACK_DEPTH = 32;

function waitingForWhen(): boolean {
  return placed.some((p) => start.specs[p.specIndex]?.kind === 'when');
}

async function onPaused(params: PausedParams): Promise<void> {
  const hit = placed.find(
    (p) => params.hitBreakpoints?.includes(p.breakpointId) && start.specs[p.specIndex]?.kind === 'when',
  );
  if (!hit) {
    // a pause that is not ours (a `debugger` statement, a logpoint race): carry on as if no debugger were attached
    await debug.post('Debugger.resume').catch(() => undefined);
    return;
  }
  const pausedAt = performance.now();
  let raw: Awaited<ReturnType<typeof readPausedFrames>> = [];
  try {
    raw = [...(await readPausedFrames(debug, params.callFrames)), ...asyncFrames(params.asyncStackTrace)];
  } catch (error) {
    post({ type: 'fault', where: 'read stack', message: errorText(error) });
  } finally {
    try {
      await removeSpec(hit.specIndex);
      // async stacks cost the app on every promise: only while a --when waits
      if (!waitingForWhen()) await debug.post('Debugger.setAsyncCallStackDepth', { maxDepth: 0 });
    } finally {
      await debug.post('Debugger.resume').catch(() => undefined);
    }
  }
  const pauseMs = performance.now() - pausedAt;
  post({ type: 'captured', specIndex: hit.specIndex, frames: toStackFrames(debug, raw), pauseMs });
}

/** Drops a spec; its breakpoints go unless another spec shares them (the recorder ignores a matched --when). */
async function removeSpec(specIndex: number): Promise<void> {
  const mine = placed.filter((p) => p.specIndex === specIndex);
  placed = placed.filter((p) => p.specIndex !== specIndex);
  for (const p of mine) {
    if (placed.some((other) => other.breakpointId === p.breakpointId)) continue;
    await debug.post('Debugger.removeBreakpoint', { breakpointId: p.breakpointId }).catch(() => undefined);
  }
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(inFlight); // a capture being read or posted finishes first: its message must go out
  for (const breakpointId of new Set(placed.map((p) => p.breakpointId))) {
    await debug.post('Debugger.removeBreakpoint', { breakpointId }).catch(() => undefined);
  }
  placed = [];
  await debug.post('Debugger.disable').catch(() => undefined);
  // no session.disconnect(): on Node 20, disconnecting a connectToMainThread
  // session and then ending the thread aborts the process now and then; the
  // thread's own teardown disconnects it cleanly
  clearInterval(keepAlive);
  post({ type: 'stopped' });
  parentPort?.close();
}

async function main(): Promise<void> {
  debug.connect();
  debug.session.on('Debugger.paused', (message) => {
    const handled = onPaused(message.params as PausedParams).catch((error: unknown) => {
      post({ type: 'fault', where: 'paused', message: errorText(error) });
    });
    inFlight.add(handled);
    void handled.then(() => inFlight.delete(handled));
  });
  parentPort?.on('message', (message: MainMessage) => {
    if (message.type === 'stop') void stop();
    else if (message.type === 'remove') void removeSpec(message.specIndex);
  });
  try {
    await debug.post('Debugger.enable');
    const result = await placeBreakpoints(debug, start.specs, start.recorderKey, start.optionalFrom);
    placed = result.placed;
    if (waitingForWhen()) await debug.post('Debugger.setAsyncCallStackDepth', { maxDepth: ASYNC_STACK_DEPTH });
    post({ type: 'ready', resolved: result.resolved });
  } catch (error) {
    const code = error instanceof UnknownTargetError ? error.code : 'CULPRIT_E_RUN_FAILED';
    post({ type: 'failed', code, message: errorText(error) });
    await stop();
  }
}

void main();
