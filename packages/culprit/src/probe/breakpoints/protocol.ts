/**
 * Messages between the breakpoint agent (main thread, agent.ts) and its
 * debugger worker (worker.ts), and the events the agent hands to the probe.
 * The worker never waits on the main thread while main is paused: it only
 * posts these messages, and only after resuming it.
 */
import type { LogpointHit, SourceLocation, StackCapture, StackFrame } from '../../capture/types.js';
import type { BreakpointSpec } from '../../trace/log-spec.js';

/** workerData of the debugger worker. */
export interface WorkerStart {
  specs: BreakpointSpec[];
  /** Global symbol key under which the main thread's recorder lives (conditions call it). */
  recorderKey: string;
  /** Specs from this index on are the agent's own (calibration): placed if possible, skipped if not. */
  optionalFrom: number;
}

/** Where a spec landed: the original location (for LogpointHit.location) and how many breakpoints it set. */
export interface ResolvedSpec {
  location?: SourceLocation;
  breakpoints: number;
}

export type WorkerMessage =
  | { type: 'ready'; resolved: ResolvedSpec[] }
  | {
      type: 'failed';
      code: 'CULPRIT_E_UNKNOWN_LOG_TARGET' | 'CULPRIT_E_AMBIGUOUS_LOG_TARGET' | 'CULPRIT_E_RUN_FAILED';
      message: string;
    }
  | { type: 'captured'; specIndex: number; frames: StackFrame[]; pauseMs: number }
  | { type: 'fault'; where: string; message: string }
  | { type: 'stopped' };

export type MainMessage = { type: 'stop' } | { type: 'remove'; specIndex: number };

/** What the agent reports to the probe, shaped as the capture's types. */
export type BreakpointEvent =
  | { type: 'log'; hit: LogpointHit }
  | { type: 'stop'; capture: StackCapture }
  | { type: 'fault'; message: string };

/** Per spec, at `stop()`: hits (condition evaluations), hits recorded as events, and their estimated cost. */
export interface SpecSummary {
  spec: string;
  hits: number;
  recorded: number;
  overheadMs: number;
  /** Hits where the `--when` condition or a `--log` expression threw. */
  errors?: number;
  /** The first of those errors (`ReferenceError: x is not defined`). */
  firstError?: string;
}
