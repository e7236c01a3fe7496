/**
 * Breakpoint conditions: a logpoint is a condition that records and returns
 * false (V8 never pauses), a `--when` is a condition that pauses only the
 * first time it holds. Both call the main thread's recorder (recorder.ts)
 * through a global symbol instead of console.log, so nothing is printed into
 * the app's stdout. Each expression is a thunk, so one failing expression
 * (`this` before `super()`) does not hide the others. `args` is the paused
 * function's `arguments` (empty at module top level). Pure.
 */

function recorderRef(recorderKey: string): string {
  return `globalThis[Symbol.for(${JSON.stringify(recorderKey)})]`;
}

function withArgs(body: string): string {
  return `((args) => ${body})(typeof arguments === 'undefined' ? [] : arguments)`;
}

/** An expression as a thunk; on lines of its own so a trailing `// comment` cannot swallow the `)` (log-spec.ts checks it cannot escape). */
function thunk(expression: string): string {
  return `() => (\n${expression}\n)`;
}

export function logpointCondition(recorderKey: string, specIndex: number, expressions: string[]): string {
  const thunks = expressions.map(thunk).join(', ');
  return withArgs(`(${recorderRef(recorderKey)}?.log(${specIndex}, [${thunks}]), false)`);
}

export function whenCondition(recorderKey: string, specIndex: number, condition: string): string {
  return withArgs(`${recorderRef(recorderKey)}?.when(${specIndex}, ${thunk(condition)}) === true`);
}

/** Several specs on one breakpoint: every condition runs (logpoints record), and V8 pauses if any holds. */
export function anyCondition(conditions: string[]): string {
  if (conditions.length === 1) return conditions[0] as string;
  return `((...held) => held.includes(true))(${conditions.map((condition) => `(${condition})`).join(', ')})`;
}
