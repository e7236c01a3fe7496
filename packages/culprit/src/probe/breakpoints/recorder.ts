/**
 * The main thread's side of the breakpoint conditions: a recorder object under
 * a global symbol that logpoints call with their values and `--when`
 * conditions call to decide whether to pause. It counts every hit, renders
 * values without running the app's custom inspectors, and tags each hit with
 * the request being served. Nothing here may throw into the app: the
 * conditions run inside the app's functions.
 */
import { inspect } from 'node:util';
import type { BreakpointSpec } from '../../trace/log-spec.js';
import { currentScope } from '../request-context.js';
import { shorten } from './render.js';

export interface SpecState {
  hits: number;
  recorded: number;
  /** Hits where the condition or an expression threw (silently false or `<Error…>` otherwise). */
  errors: number;
  /** The first such error, `Name: message`. */
  firstError?: string;
  /** `--when`: set on the first hit where the condition held. */
  matched?: { hitsBeforeMatch: number; requestId?: number };
}

export interface Recorder {
  states: SpecState[];
  uninstall(): void;
}

export function installRecorder(
  key: string,
  specs: BreakpointSpec[],
  maxLogHits: number,
  onLog: (specIndex: number, values: string[], requestId: number | undefined) => void,
): Recorder {
  const states: SpecState[] = specs.map(() => ({ hits: 0, recorded: 0, errors: 0 }));
  const failed = (state: SpecState, error: unknown): void => {
    state.errors += 1;
    state.firstError ??= errorText(error);
  };
  const symbol = Symbol.for(key);
  const api = {
    log(specIndex: number, thunks: Array<() => unknown>): void {
      const state = states[specIndex];
      if (!state) return;
      state.hits += 1;
      if (state.recorded >= maxLogHits) return;
      state.recorded += 1;
      let threw: unknown;
      const values = thunks.map((thunk) =>
        renderThunk(thunk, (error) => {
          threw ??= error;
        }),
      );
      if (threw !== undefined) failed(state, threw);
      try {
        onLog(specIndex, values, currentScope()?.requestId);
      } catch {
        // the probe's own failure must not surface inside the app's function
      }
    },
    when(specIndex: number, condition: () => unknown): boolean {
      const state = states[specIndex];
      if (!state || state.matched) return false;
      state.hits += 1;
      let holds = false;
      try {
        holds = Boolean(condition());
      } catch (error) {
        holds = false; // a condition that throws here (e.g. `this` before super()) does not hold…
        failed(state, error); // …but the user hears of it: a typo would otherwise wait forever
      }
      if (holds) {
        const requestId = currentScope()?.requestId;
        state.matched = { hitsBeforeMatch: state.hits - 1, ...(requestId === undefined ? {} : { requestId }) };
      }
      return holds;
    },
  };
  Object.defineProperty(globalThis, symbol, { value: api, configurable: true, enumerable: false });
  return {
    states,
    uninstall: () => {
      delete (globalThis as Record<symbol, unknown>)[symbol];
    },
  };
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'an unprintable error';
  }
}

function renderThunk(thunk: () => unknown, onError: (error: unknown) => void): string {
  try {
    return renderValue(thunk());
  } catch (error) {
    onError(error);
    return `<${errorText(error)}>`;
  }
}

/** A short one-line rendering that runs no app code (no custom inspect, no getters). */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return shorten(value);
  try {
    return shorten(
      inspect(value, {
        depth: 1,
        breakLength: Number.POSITIVE_INFINITY,
        maxArrayLength: 5,
        maxStringLength: 60,
        customInspect: false,
        getters: false,
      }),
    );
  } catch {
    return '<unrenderable>';
  }
}
