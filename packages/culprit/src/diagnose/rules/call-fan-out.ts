/**
 * Where a hot function's calls multiply, read from exact call counts up through its app callers. Pure.
 *
 * Two shapes look alike in a profile: a loop that runs a whole pass for each item inline (a sort of the whole
 * list per item: the line to change is that pass, in the per-item function) and a per-item function that calls
 * a pass written elsewhere (an index over the whole catalog rebuilt for each item: the line to change is the
 * call of that pass, in the per-item function, not the pass's own loop).
 */
import type { ProfileFunction } from '../../capture/types.js';

/** App functions above which this many callers up the calls are still looked for where they multiply. */
const MAX_CALLERS_UP = 4;

/** Calls of `callee` per call of `caller`, by the count pass. */
export function fanOut(callee: ProfileFunction, caller: ProfileFunction): number {
  return callee.calls && caller.calls ? callee.calls / caller.calls : 0;
}

/**
 * Of the calls from the hot function up through its app callers, the one made the most times per call of its
 * caller: a comparator that calls the hot function twice is not where the calls multiply, the sort run once per
 * item that calls the comparator thousands of times is. Exact counts only; without them, the direct caller.
 */
export function multiplyingCall(
  hot: ProfileFunction,
  appCaller: ProfileFunction,
  callerOf: ReadonlyMap<ProfileFunction, ProfileFunction>,
): { callee: ProfileFunction; caller: ProfileFunction } {
  let best = { callee: hot, caller: appCaller };
  let bestFanOut = fanOut(hot, appCaller);
  let callee = appCaller;
  for (let up = 0; up < MAX_CALLERS_UP; up++) {
    const caller = callerOf.get(callee);
    if (!caller || caller === hot || caller.name.startsWith('(root')) break;
    const spread = fanOut(callee, caller);
    if (spread > bestFanOut) {
      best = { callee, caller };
      bestFanOut = spread;
    }
    callee = caller;
  }
  return best;
}

/** Runs per request from which a pass is repeated work rather than a function called a couple of times. */
const REPEATED_RUNS = 5;
/** Calls a run of the pass makes from which it is a pass over a collection. */
const PASS_CALLS_PER_RUN = 100;
/** Runs of the pass per call of its caller up to which the caller runs it once (rounding, a retry). */
const ONCE_PER_CALL = 1.5;
/**
 * Calls of the hot function per row or item the request handled from which the passes go over the same
 * data again: per-item work over each item's own children adds up to the rows, a repeated pass exceeds them.
 */
const CALLS_PER_ROW_REPEATED = 4;

export interface RepeatedPass {
  /** The function whose run is a whole pass (it calls `callee` `callsPerRun` times a run). */
  pass: ProfileFunction;
  callee: ProfileFunction;
  /** The per-item function that runs the pass once per call: its call of the pass is the line to change. */
  caller: ProfileFunction;
  runsPerRequest: number;
  callsPerRun: number;
}

/**
 * A pass (`pass` calls `callee` hundreds of times a run) run at least five times per request, once in each call
 * of its app caller, while the hot function is called several times per row the request handled: the same
 * pass over the same data, once per item, where once per request would do.
 */
export function repeatedPass(
  callee: ProfileFunction,
  pass: ProfileFunction,
  callerOf: ReadonlyMap<ProfileFunction, ProfileFunction>,
  options: { countedRequests: number; hotCallsPerRequest: number; rows: number },
): RepeatedPass | undefined {
  const { countedRequests, hotCallsPerRequest, rows } = options;
  if (countedRequests <= 0 || pass.calls === null || pass.calls === undefined) return undefined;
  const runsPerRequest = pass.calls / countedRequests;
  const callsPerRun = fanOut(callee, pass);
  const caller = callerOf.get(pass);
  if (runsPerRequest < REPEATED_RUNS || callsPerRun < PASS_CALLS_PER_RUN || !caller) return undefined;
  if (caller === callee || caller.name.startsWith('(root') || !caller.file || caller.line === 0) return undefined;
  const perCall = fanOut(pass, caller);
  if (perCall <= 0 || perCall > ONCE_PER_CALL) return undefined;
  if (hotCallsPerRequest < CALLS_PER_ROW_REPEATED * Math.max(rows, 1)) return undefined;
  return { pass, callee, caller, runsPerRequest, callsPerRun };
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const NOT_NAMES = new Set(['async', 'function', 'await', 'this', 'new', 'true', 'false', 'null', 'undefined']);

/**
 * Whether the call of `pass` at `callLine` hands it the caller's item, its first parameter (`formatCells(row)`
 * in `formatRow(row)`, a resolver's parent): each run then has other data, however alike the counts look. A
 * context or options argument is the same for every item. Read from the caller's header at `headerLine`
 * (a destructured first parameter declares each of its names); a header it cannot read counts as passing
 * the item, so that no repeated pass is claimed on a guess.
 */
export function passesCallerInput(
  lines: readonly string[],
  headerLine: number,
  callLine: number,
  pass: string,
): boolean {
  const item = firstParameterNames(lines.slice(headerLine - 1, headerLine + 2).join(' '));
  if (item === undefined) return true;
  const call = lines[callLine - 1] ?? '';
  const start = call.search(new RegExp(`\\b${pass.replace(/\$/g, '\\$')}\\s*\\(`));
  const args = start < 0 ? call : call.slice(start + pass.length);
  return (args.match(IDENTIFIER) ?? []).some((name) => item.has(name));
}

/** The names the first parameter of a function header declares, or undefined when none is found. */
function firstParameterNames(header: string): Set<string> | undefined {
  const open = header.indexOf('(');
  if (open < 0) return undefined;
  let depth = 0;
  for (let at = open + 1; at < header.length; at++) {
    const char = header[at];
    if (char === '(' || char === '{' || char === '[') depth++;
    else if ((char === ')' || char === ',') && depth === 0) return namesIn(header.slice(open + 1, at));
    else if (char === ')' || char === '}' || char === ']') depth--;
  }
  return undefined;
}

/** `{ id, title }` declares id and title; a type annotation or a default's value declares nothing. */
function namesIn(parameter: string): Set<string> | undefined {
  const declared = parameter
    .replace(/=[^,}]*/g, '')
    .replace(/:\s*[A-Za-z_$][\w$<>[\]|. ]*/g, '')
    .match(IDENTIFIER);
  const names = (declared ?? []).filter((name) => !NOT_NAMES.has(name));
  return names.length > 0 ? new Set(names) : undefined;
}
