/**
 * `startBreakpointAgent`: logpoints (`--log`) and conditional stack capture
 * (`--when`) in the target, without editing a file. Call it on the main
 * thread of the target (the probe does, on the CLI's request). It starts the
 * debugger worker, waits until every spec is placed (or rejects with a coded
 * error naming the closest classes/files), then reports hits as events shaped
 * like the capture's `LogpointHit` and `StackCapture`.
 *
 * Cost: every breakpoint hit costs ≈0.1–0.2 ms even when nothing is
 * recorded (V8 evaluates the condition in a debug context), so a `--when`
 * is removed at its first match, and counting constructions is left to
 * coverage (exact and cheap). `overheadMs` estimates what the hits cost.
 */
import { isMainThread, Worker } from 'node:worker_threads';
import type { SourceLocation } from '../../capture/types.js';
import { CulpritError } from '../../errors/culprit-error.js';
import type { BreakpointSpec } from '../../trace/log-spec.js';
import { calibrationSpec, ESTIMATED_MS_PER_HIT, measureMsPerHit } from './calibration.js';
import type { BreakpointEvent, MainMessage, SpecSummary, WorkerMessage, WorkerStart } from './protocol.js';
import { installRecorder } from './recorder.js';

export { ESTIMATED_MS_PER_HIT };

export interface BreakpointAgentOptions {
  /** Logpoint hits reported as events per spec; later hits are only counted. Default 1000. */
  maxLogHits?: number;
  /** How long placing the breakpoints may take. Default 30 s. */
  readyTimeoutMs?: number;
}

export interface BreakpointAgent {
  /** Removes every breakpoint, stops the worker, and says how many hits each spec had. Idempotent. */
  stop(): Promise<SpecSummary[]>;
  /** What one hit costs here (calibrated at start), milliseconds. */
  readonly msPerHit: number;
}

let agents = 0;

export async function startBreakpointAgent(
  specs: BreakpointSpec[],
  onEvent: (event: BreakpointEvent) => void,
  options: BreakpointAgentOptions = {},
): Promise<BreakpointAgent> {
  if (!isMainThread) throw new CulpritError('CULPRIT_E_RUN_FAILED', 'breakpoints are driven from the main thread only');
  const key = `culprit.breakpoints.${process.pid}.${++agents}`;
  const locations: Array<SourceLocation | undefined> = [];
  const emit = (event: BreakpointEvent) => {
    try {
      onEvent(event);
    } catch {
      // the probe's consumer failing must not reach the app
    }
  };
  const placedSpecs = [...specs, calibrationSpec];
  let msPerHit = ESTIMATED_MS_PER_HIT;
  const recorder = installRecorder(key, placedSpecs, options.maxLogHits ?? 1000, (specIndex, values, requestId) => {
    if (specIndex >= specs.length) return; // calibration hits are the agent's own
    const location = locations[specIndex];
    emit({
      type: 'log',
      hit: {
        spec: specs[specIndex]?.text ?? '',
        values,
        ...(requestId === undefined ? {} : { requestId }),
        ...(location ? { location } : {}),
      },
    });
  });
  const workerData: WorkerStart = { specs: placedSpecs, recorderKey: key, optionalFrom: specs.length };
  const worker = startWorker(workerData);

  let stopped: Promise<SpecSummary[]> | undefined;
  let onStopped: () => void = () => {};
  const summaries = (): SpecSummary[] =>
    specs.map((spec, index) => {
      const state = recorder.states[index] ?? { hits: 0, recorded: 0, errors: 0 };
      return {
        spec: spec.text,
        hits: state.hits,
        recorded: state.recorded,
        overheadMs: state.hits * msPerHit,
        ...(state.errors ? { errors: state.errors } : {}),
        ...(state.firstError === undefined ? {} : { firstError: state.firstError }),
      };
    });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new CulpritError('CULPRIT_E_RUN_FAILED', 'placing breakpoints timed out')),
      options.readyTimeoutMs ?? 30_000,
    );
    timer.unref();
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          clearTimeout(timer);
          message.resolved.forEach((resolved, index) => {
            locations[index] = resolved.location;
          });
          // Placed: from now on the app exits when it would have (the worker keeps only
          // itself alive). Not before: the app is awaiting this start-up.
          worker.unref();
          if ((message.resolved[specs.length]?.breakpoints ?? 0) > 0) {
            msPerHit = measureMsPerHit();
            worker.postMessage({ type: 'remove', specIndex: specs.length } satisfies MainMessage);
          }
          resolve();
          break;
        case 'failed':
          clearTimeout(timer);
          reject(new CulpritError(message.code, message.message));
          break;
        case 'captured': {
          const spec = specs[message.specIndex];
          const state = recorder.states[message.specIndex];
          const matched = state?.matched;
          emit({
            type: 'stop',
            capture: {
              spec: spec?.text ?? '',
              frames: message.frames,
              hitsBeforeMatch: matched?.hitsBeforeMatch ?? 0,
              overheadMs: (state?.hits ?? 0) * msPerHit + message.pauseMs,
              ...(matched?.requestId === undefined ? {} : { requestId: matched.requestId }),
            },
          });
          break;
        }
        case 'fault':
          emit({ type: 'fault', message: `${message.where}: ${message.message}` });
          break;
        case 'stopped':
          onStopped();
          break;
      }
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new CulpritError('CULPRIT_E_RUN_FAILED', `the breakpoint worker failed: ${error.message}`, { cause: error }),
      );
    });
    worker.once('exit', () => onStopped());
  }).catch(async (error: unknown) => {
    recorder.uninstall();
    await worker.terminate();
    throw error;
  });

  const agent: BreakpointAgent = {
    get msPerHit() {
      return msPerHit;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        process.off('beforeExit', stopAtExit);
        onStopped = resolve;
        // held while stopping: the worker must disconnect before the process may end (see stopAtExit)
        worker.ref();
        setTimeout(() => void worker.terminate().then(() => resolve()), 2000);
        worker.postMessage({ type: 'stop' } satisfies MainMessage);
      }).then(() => {
        recorder.uninstall();
        return summaries();
      });
      return stopped;
    },
  };
  // A process whose main thread still has the worker's inspector session
  // connected waits for it to disconnect instead of exiting. So when the app
  // runs out of work with the agent still on, stop it first: the app then
  // exits as it would have.
  const stopAtExit = () => void agent.stop();
  process.once('beforeExit', stopAtExit);
  return agent;
}

/**
 * The worker's file beside this one: `.js` when built. Run from source (tsx,
 * tests), `worker.ts` needs tsx's loader registered in the worker first: a
 * worker thread does not inherit loader hooks registered on the main thread.
 */
function startWorker(workerData: WorkerStart): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData });
  const entry = new URL('./worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
