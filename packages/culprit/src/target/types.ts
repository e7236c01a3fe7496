/**
 * The contract between the CLI and a running target (DESIGN.md: target, probe).
 *
 * Both modes run the user's code in a child process with the probe preloaded;
 * the CLI talks to the probe over a unix socket (never a TCP port) and sends
 * requests either as real HTTP over 127.0.0.1 (command mode) or as in-process
 * injections performed by the probe (module mode). Commands (trace, profile,
 * diagnose) use only this interface, so they work the same in both modes.
 */

import type {
  LogpointHit,
  OtherTraffic,
  QueryRecord,
  RequestRecord,
  SourceLocation,
  StackCapture,
  TargetInfo,
} from '../capture/types.js';
import type { BreakpointSummary, ProbeRequest, TraceConfig, WatchRowsMessage } from '../probe/protocol.js';
import type { PlanResult } from '../probe/queries/explain-registry.js';
import type { BreakpointSpec } from '../trace/log-spec.js';

export type { BreakpointSpec, BreakpointSummary, TraceConfig };

export interface TargetRequest {
  method: string;
  /** Path and query, e.g. `/api/ephemera/13373/?img=2&expand=~all`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** How long culprit waits by default for a request's record once its response ended. */
export const DEFAULT_RECORD_TIMEOUT_MS = 60_000;

/** What both modes accept about waiting. */
interface WaitOptions {
  /**
   * How long to wait for the probe's record of a request once its response
   * ended (`--timeout`; default DEFAULT_RECORD_TIMEOUT_MS). The response itself
   * is awaited however long it takes: a 30 s request keeps its data.
   */
  recordTimeoutMs?: number;
}

export interface CommandTargetOptions extends WaitOptions {
  mode: 'command';
  /** argv of the user's command, e.g. ['npm', 'start']. */
  command: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Pick this port when the server listens on several (`--port`, or the URL's port). */
  port?: number;
  /** `https` when the URL said so; a TLS server is spoken to in HTTPS either way. */
  scheme?: 'http' | 'https';
  readyTimeoutMs: number;
  /** Aborts the wait for the server (Ctrl-C); the process group is stopped. */
  signal?: AbortSignal;
  /** Copy the target's stderr here as it comes (e.g. `--verbose`). */
  echoStderr?: NodeJS.WritableStream;
  /**
   * Enable the Debugger domain in the first process that listens while culprit waits for more ports
   * (command-target.ts): diagnose needs it for counts and sources anyway, and its SHA-256 of every
   * script (~1.1 G instructions for the 10k story's server) then runs while nothing else would.
   */
  enableScriptsEarly?: boolean;
}

export interface ModuleTargetOptions extends WaitOptions {
  mode: 'module';
  /** Module exporting an app (Express, Fastify, Koa, Hono), a listener or a fetch handler. TypeScript works. */
  modulePath: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs: number;
  signal?: AbortSignal;
  echoStderr?: NodeJS.WritableStream;
}

export type TargetOptions = CommandTargetOptions | ModuleTargetOptions;

/**
 * What the probe observed for one request. Values are raw: `url` and query
 * `params` as sent (not redacted), query `sql` as the app sent it (not
 * normalized); locations are already source-mapped. trace redacts and normalizes.
 */
export type ObservedRequest = RequestRecord;
export type ObservedQuery = QueryRecord;

/** Raw V8 data the probe returns; the CLI turns it into the profile model. */
export interface RawCpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number };
    hitCount?: number;
    children?: number[];
    positionTicks?: Array<{ line: number; ticks: number }>;
  }>;
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface RawScriptCoverage {
  scriptId: string;
  url: string;
  functions: Array<{
    functionName: string;
    isBlockCoverage: boolean;
    ranges: Array<{ startOffset: number; endOffset: number; count: number }>;
  }>;
}

/** A script the target's V8 has parsed: enough to map positions back to original source. */
export interface ScriptInfo {
  scriptId: string;
  url: string;
  /** Inline or resolved source map, when the script has one (JSON text). */
  sourceMap?: string;
}

/** The probe's remote-control surface, used by `profile` (and `trace` for counts). */
export interface ProbeControl {
  /** Starts the profiler; call it before the warm-up, so that it sees the app's hot code optimized. */
  startCpuProfile(options: { intervalUs: number }): Promise<void>;
  /** The timing pass begins: the profile stopCpuProfile returns starts here (probe/cpu-window.ts). */
  startCpuWindow(): Promise<void>;
  /** The profile since startCpuWindow, or since startCpuProfile when no window was started. */
  stopCpuProfile(): Promise<RawCpuProfile>;
  /** Starts precise coverage in count mode (`callCount: true, detailed: false`), counters at zero. */
  startCallCounts(): Promise<void>;
  /** Calls since the previous take (V8 resets counters on each take). */
  takeCallCounts(): Promise<RawScriptCoverage[]>;
  stopCallCounts(): Promise<void>;
  /** Source text of a script, for offset → line mapping. */
  scriptSource(scriptId: string): Promise<string>;
  /**
   * The SHA-256 (hex) of each script's source as V8 computed it, null where unknown: a file that hashes
   * the same holds that source (profile/disk-sources.ts). Absent in test doubles: sources are then fetched.
   */
  scriptHashes?(scriptIds: string[]): Promise<Array<string | null>>;
  scripts(): Promise<ScriptInfo[]>;
  /** Paths of the files the target process has loaded (the schema a set-up script declares is told apart). */
  loadedFiles?(): Promise<string[]>;
  /**
   * Maps generated positions (V8's 0-based line and column, script URL) to
   * original source (1-based SourceLocation), using the target's own source
   * maps (Node's own when it loaded them, else the map a script names, read
   * on first use: probe/script-source-maps.ts), so in-memory transforms (tsx,
   * ts-node) map too. null where nothing maps.
   */
  mapLocations(positions: Array<{ url: string; line: number; column: number }>): Promise<Array<SourceLocation | null>>;
  /** Switches per-request recording of queries and class constructions (off until asked). */
  configureTrace(config: TraceConfig): Promise<void>;
  /** Probe-side faults caught so far (the probe counts them instead of throwing into the app). */
  faults(): Promise<string[]>;
  /**
   * Query plans (EXPLAIN, never ANALYZE) of statements the app ran in a
   * request, by normalized text, through the app's own connection with the
   * statement's own parameters.
   */
  explain(sqls: string[]): Promise<PlanResult[]>;
  /**
   * Places `--log` / `--when` breakpoints in the target (a debugger worker
   * there); rejects with CULPRIT_E_UNKNOWN_LOG_TARGET naming the closest names.
   */
  startBreakpoints(specs: BreakpointSpec[]): Promise<void>;
  /** Removes them; per spec, hits and their estimated cost. */
  stopBreakpoints(): Promise<BreakpointSummary[]>;
}

/** Breakpoint output gathered since the last take; request ids follow `send`'s numbering. */
export interface BreakpointEvents {
  logs: LogpointHit[];
  stops: StackCapture[];
  faults: string[];
}

/** What `culprit watch` receives from the probes (RunningTarget.onWatched). */
export interface WatchListener {
  /** A request recorded in full (in the probe's sample). */
  record(record: ProbeRequest): void;
  /** Requests counted without their detail, one batch of rows. */
  rows(batch: WatchRowsMessage): void;
}

/** A request whose response ended; its record is waited for on demand. */
export interface HeldRequest {
  status: number;
  /** From sending to the response's end, as the CLI saw it. */
  elapsedMs: number;
  /** The probe's record (or the failure): the record timeout starts at this call. */
  record(): Promise<ObservedRequest>;
}

export interface RunningTarget {
  info: TargetInfo;
  /** Things worth telling the user about how the target was reached (e.g. "listens on 3000 and 9229; using 3000"). */
  notes: string[];
  /**
   * Sends one request (marked as culprit's) and resolves with the probe's
   * record of it; a request without one (no answer, no record within the
   * record timeout after the response) resolves with `error` set. Rejects
   * with CULPRIT_E_INTERRUPTED when `signal` aborts (Ctrl-C), at once.
   */
  send(request: TargetRequest, options?: { signal?: AbortSignal }): Promise<ObservedRequest>;
  /**
   * Sends one request and resolves once its response ended, without waiting
   * for its record: the timing pass, whose records the probe holds until the
   * CPU profile stops (`startCpuWindow` to `stopCpuProfile`).
   */
  sendHeld(request: TargetRequest, options?: { signal?: AbortSignal }): Promise<HeldRequest>;
  /** How many requests `send` has sent so far (each one counts, answered or not). */
  readonly sent: number;
  /** Requests the target served meanwhile that culprit did not send, by route. */
  otherTraffic(): OtherTraffic[];
  probe: ProbeControl;
  /** Logpoint hits and `--when` stacks received so far (then forgotten). */
  takeBreakpointEvents(): BreakpointEvents;
  /**
   * Once `configureTrace({ watch: true })` is on (`culprit watch`), hands
   * `listener` every request the server answered that culprit did not send:
   * the sampled share recorded in full, the rest counted in batches of rows;
   * returns the unsubscribe.
   */
  onWatched(listener: WatchListener): () => void;
  /**
   * Where real HTTP reaches the app: command mode's server as it listens;
   * module mode's app is made to listen on 127.0.0.1 at `port` (0: any free port).
   */
  listen(port: number): Promise<string>;
  /** Resolves with the target's exit code (128 + n for signal n) when it ends on its own or is stopped. */
  exited: Promise<number>;
  /** Stops the target (its whole process group) and closes the socket. Idempotent. */
  close(): Promise<void>;
}
