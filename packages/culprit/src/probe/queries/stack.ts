/**
 * Cheap structured stack capture at query issue time. Capturing is split in
 * two: `Error.captureStackTrace` at issue time (V8 keeps a structured trace,
 * no strings), and reading it when the record is built: only up to the
 * application frame the record names, the whole stack only when someone reads
 * `event.stack` (--stacks). Queries outside a request never pay for reading.
 * Positions stay generated: the CLI source-maps them in its own process.
 */
import type { RowsRead } from '../../capture/types.js';
import {
  CapturedStack,
  captureHinted,
  closeCapture,
  type FrameSource,
  NO_FRAMES,
  openCapture,
  orDeeper,
  type StackHolder,
} from '../frame-source.js';
import { countedOnly, type RequestScope, SHORT_STACK, wholeStacksWanted } from '../request-context.js';
import type { QueryDriver, RawFrame, RawQueryEvent } from './types.js';

/** Deep enough to get past ORM layers to the application frame. */
const STACK_LIMIT = 40;

/** The current stack, innermost first, excluding `below` and what it called, read on demand. */
export function captureStackLazily(below: (...args: never[]) => unknown): FrameSource {
  // a request `culprit watch` only counts needs no stack (its query is counted, then dropped)
  if (countedOnly()) return NO_FRAMES;
  if (wholeStacksWanted()) return new CapturedStack(below, STACK_LIMIT);
  // captureShortFirst's steps, its short capture called from here: one frame fewer above `below` to walk
  return orDeeper(captureHinted(below, SHORT_STACK), below, SHORT_STACK, STACK_LIMIT);
}

/**
 * Whether a hook takes its stack in its own body (openOwnCapture, `Error.captureStackTrace(holder, hook)`,
 * closeOwnCapture), the stack captureStackLazily(hook) would take without its frames above the hook: not in
 * a request `culprit watch` only counts (no stack) nor under --stacks (whole stacks: captureStackLazily).
 */
export function ownCaptureWanted(): boolean {
  return !wholeStacksWanted() && !countedOnly();
}

/** Sets the limit of a hook's own capture (its short, hinted depth); closeOwnCapture must follow. */
export function openOwnCapture(below: (...args: never[]) => unknown): number {
  return openCapture(below, SHORT_STACK);
}

/** Ends a hook's own capture: `holder`'s frames, or the stack STACK_LIMIT deep when they hold no application frame. */
export function closeOwnCapture(holder: StackHolder, below: (...args: never[]) => unknown, limit: number): FrameSource {
  return orDeeper(closeCapture(holder, below, SHORT_STACK, limit), below, SHORT_STACK, STACK_LIMIT);
}

/**
 * The frames a driver hook adds below a pool call that carries the app's
 * frames (pool-stack.ts): they name the app only when the pool ran the query
 * synchronously from the app's call, within a few frames, so a short capture
 * does (whole under --stacks).
 */
export function captureOwnFrames(below: (...args: never[]) => unknown): FrameSource {
  if (countedOnly()) return NO_FRAMES;
  return new CapturedStack(below, wholeStacksWanted() ? STACK_LIMIT : SHORT_STACK);
}

/**
 * A driver hook's event. One class for every hook (one shape for the code
 * that reads events), `stack` read from its source when first asked for.
 * `stack` is a getter on the prototype: spreading an event leaves it out.
 */
class HookedQuery implements RawQueryEvent {
  // declared, not class fields: an initialized field is defined through an IC (DefineNamedOwnIC) and then stored
  // again by the constructor, ten of them per query in Node 20's baseline code
  declare readonly driver: QueryDriver;
  declare readonly sql: string;
  declare readonly params: unknown[] | undefined;
  declare startedAt: number;
  declare readonly durationMs: number;
  declare readonly rows: number | null;
  declare readonly read: RowsRead | undefined;
  declare readonly error: string | undefined;
  /** Taken at issue time by every hook: null (outside any request) is kept apart from absent. */
  declare readonly scope: RequestScope | null;
  declare private readonly source: FrameSource;

  constructor(fields: Omit<RawQueryEvent, 'stack'>, source: FrameSource) {
    this.driver = fields.driver;
    this.sql = fields.sql;
    this.params = fields.params;
    this.startedAt = fields.startedAt;
    this.durationMs = fields.durationMs;
    this.rows = fields.rows;
    this.read = fields.read;
    this.error = fields.error;
    this.scope = fields.scope ?? null;
    this.source = source;
  }

  get stack(): RawFrame[] {
    return this.source.frames();
  }

  appFrame(): RawFrame | undefined {
    return this.source.appFrame();
  }

  builtAt(): RawFrame | undefined {
    return this.source.builtAt?.();
  }

  /** What JSON and structured clones carry: the fields and the whole stack. */
  toJSON(): RawQueryEvent {
    const { source: _source, ...fields } = this;
    return { ...fields, stack: this.stack };
  }
}

/** An event whose `stack` is read (once) when first asked for, by the probe or JSON.stringify. */
export function withLazyStack(event: Omit<RawQueryEvent, 'stack'>, stack: FrameSource): RawQueryEvent {
  return new HookedQuery(event, stack);
}
