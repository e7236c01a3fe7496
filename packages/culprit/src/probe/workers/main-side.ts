/**
 * The main thread's half of following requests into worker threads
 * (envelope.ts): every Worker started from now on loads the worker probe
 * (`--import`, added to its execArgv; not `--require`, which loads this ES
 * module through `require(esm)`: on Node 22 that ends the worker with
 * ERR_METHOD_NOT_IMPLEMENTED when the process has a `module.register` loader,
 * as module mode had before its TypeScript hooks moved in-thread), a message
 * posted to such a worker goes in an envelope while a request is recorded,
 * and the queries the worker probes send back join that request.
 * The subclass is in place before the app can reach Worker (a pool made
 * before the server listens must load the worker probe: followWorkersFromStart);
 * what it records with comes from recording.ts, loaded with the recorder.
 */
import * as nodeModule from 'node:module';
import type { Worker as WorkerClass, WorkerOptions } from 'node:worker_threads';
import { noteFault } from '../faults.js';
import { type LoadResult, unwatchModuleLoads, WATCH_LOADS, watchModuleLoads } from '../load-hook.js';
import { ENVELOPE_KEY, type Envelope, isQueriesEnvelope, QUERIES_KEY, type WorkerQuery } from './envelope.js';

/** What the recorder lends the Worker wrappers once it runs. */
export interface WorkerRecording {
  /** The recorded request a message posted now belongs to (remembered for the worker's queries), if any. */
  requestToSend(): number | undefined;
  /** Queries a worker ran for requests that sent it work. */
  receive(queries: WorkerQuery[]): void;
}

/** culprit's own workers (the breakpoint agent) live here: they are not the app's. This code runs from
 * workers/main-side.js, or from the probe's start.js beside workers/ once bundled (start.ts). */
const probeDir = new URL(/\/workers\/[^/]*$/.test(import.meta.url) ? '../' : './', import.meta.url).href;
const workerEntry = new URL('./workers/worker-entry.js', probeDir).href;

function isOwnWorker(filename: string | URL, options: WorkerOptions): boolean {
  if (options.eval) return false;
  const url = filename instanceof URL ? filename.href : filename.startsWith('file:') ? filename : `file://${filename}`;
  return url.startsWith(probeDir);
}

/** Workers started with the worker probe: they open envelopes. */
const followed = new WeakSet<object>();
let recording: WorkerRecording | undefined;
let installed = false;

export function setWorkerRecording(value: WorkerRecording): void {
  recording = value;
}

export function installWorkerFollow(): void {
  if (installed) return;
  installed = true;
  // a built-in: no `createRequire`, whose walk of this file's path at start helped tip Node's normalizeString
  // into V8's optimizing compiler (queries/module-hook.ts)
  const threads = process.getBuiltinModule('node:worker_threads') as { Worker: typeof WorkerClass };
  const Original = threads.Worker;
  class Worker extends Original {
    constructor(filename: string | URL, options: WorkerOptions = {}) {
      if (isOwnWorker(filename, options)) {
        super(filename, options);
        return;
      }
      const execArgv = [...(options.execArgv ?? process.execArgv), '--import', workerEntry];
      super(filename, { ...options, execArgv });
      followed.add(this);
    }

    // every 'message' listener hears the worker through emit: the queries come off first
    override emit(type: string | symbol, ...args: unknown[]): boolean {
      if (type === 'message' && isQueriesEnvelope(args[0])) {
        try {
          recording?.receive(args[0][QUERIES_KEY]);
        } catch (error) {
          noteFault('worker queries', error);
        }
        return super.emit(type, args[0].data, ...args.slice(1));
      }
      return super.emit(type, ...args);
    }
  }
  Object.defineProperty(Worker, 'name', { value: 'Worker' });
  const postMessage = Original.prototype.postMessage;
  Original.prototype.postMessage = function culpritPostMessage(this: WorkerClass, value: unknown, ...rest: unknown[]) {
    let message = value;
    try {
      const requestId = recording && followed.has(this) ? recording.requestToSend() : undefined;
      if (requestId !== undefined) message = { [ENVELOPE_KEY]: requestId, data: value } satisfies Envelope;
    } catch (error) {
      noteFault('worker postMessage', error);
    }
    Reflect.apply(postMessage, this, [message, ...rest]);
  };
  threads.Worker = Worker;
  // ES modules that import { Worker } from 'node:worker_threads' see the subclass too
  nodeModule.syncBuiltinESMExports();
}

type BuiltinGetter = (id: string) => unknown;
const WORKER_THREADS = new Set(['worker_threads', 'node:worker_threads']);

let loadsSeen = 0;

/**
 * Puts the Worker subclass in place before the app can reach Worker, loading node:worker_threads
 * (and the streams under it: ≈9 M instructions on Node 24) only in a process that loads it anyway or
 * loads more than WATCH_LOADS modules, where one load costs less than the hook on every module. Where
 * Node has in-thread module hooks (`module.registerHooks`, 22.15+), the probe's load hook
 * (load-hook.ts) sees every `import` and `require` until then, and `process.getBuiltinModule` is
 * wrapped; elsewhere (Node 20), or when it is loaded already, the subclass goes in now.
 */
export function followWorkersFromStart(): void {
  const loaded = (process as { moduleLoadList?: unknown }).moduleLoadList;
  if (!Array.isArray(loaded) || loaded.includes('NativeModule worker_threads') || !watchModuleLoads(onLoad)) {
    installWorkerFollow();
    return;
  }
  // the wrapper stays (one test per call): restoring could undo a wrapper put on after ours
  const holder = process as { getBuiltinModule?: BuiltinGetter };
  const getBuiltinModule = holder.getBuiltinModule;
  if (typeof getBuiltinModule === 'function') {
    holder.getBuiltinModule = function culpritGetBuiltinModule(this: unknown, id: string) {
      if (!installed && typeof id === 'string' && WORKER_THREADS.has(id)) install();
      return Reflect.apply(getBuiltinModule, this, [id]);
    };
  }
}

/**
 * The load watcher. Node hands a loaded built-in over after the hooks ran, so the subclass is in
 * place before the app gets node:worker_threads. Leaving the watch can take the hook set with it.
 */
function onLoad(url: string, result: LoadResult): LoadResult {
  loadsSeen += 1;
  if (url === 'node:worker_threads' || loadsSeen >= WATCH_LOADS || installed) {
    unwatchModuleLoads(onLoad);
    if (!installed) install();
  }
  return result;
}

function install(): void {
  try {
    installWorkerFollow();
  } catch (error) {
    noteFault('worker follow', error);
  }
}
