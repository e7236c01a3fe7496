/**
 * A callback that copies its accumulator on every call (`items.reduce((acc, x) => [...acc, f(x)], [])`,
 * `{ ...acc, [k]: v }`, `acc.concat(x)`): each call copies everything gathered so far, so n calls copy about
 * n²/2 elements. Linear in the profile's call count, quadratic in its time. Pure: reads the function's source.
 */

export interface AccumulatorCopy {
  /** The copied accumulator's name, as written. */
  variable: string;
  kind: 'array' | 'object';
  /** 1-based line that copies it. */
  line: number;
}

/** Lines after the function's first that its body may span and still be read as one short callback. */
const BODY_LINES = 4;

/** The first parameter of the function that starts on `line` (the accumulator of a reduce callback). */
function firstParameter(text: string): string | undefined {
  const reduced = /\breduce(?:Right)?\s*\(\s*(?:async\s+)?(?:function\s*[\w$]*\s*)?\(\s*([\w$]+)\s*[,)]/.exec(text);
  if (reduced?.[1]) return reduced[1];
  return /(?:^|[^\w$.])(?:function\s*[\w$]*\s*)?\(\s*([\w$]+)\s*,[^)]*\)\s*(?:=>|\{)/.exec(text)?.[1];
}

/** The copy of the accumulator in the function that starts at `fnLine` of `lines`, if it makes one. */
export function accumulatorCopy(lines: readonly string[], fnLine: number): AccumulatorCopy | undefined {
  const first = lines[fnLine - 1];
  if (first === undefined) return undefined;
  const variable = firstParameter(first);
  if (!variable) return undefined;
  const name = variable.replace(/[$]/g, '\\$&');
  const array = new RegExp(`\\[\\s*\\.\\.\\.\\s*${name}\\b|\\b${name}\\s*\\.\\s*concat\\s*\\(`);
  const object = new RegExp(`\\{\\s*\\.\\.\\.\\s*${name}\\b|Object\\.assign\\s*\\(\\s*\\{\\s*\\}\\s*,\\s*${name}\\b`);
  // the body as one text, so a copy written over lines (`({` then `...acc,`) reads as one
  const body: Array<{ line: number; text: string }> = [];
  for (let line = fnLine; line <= Math.min(lines.length, fnLine + BODY_LINES); line++) {
    const text = lines[line - 1] ?? '';
    body.push({ line, text: line === fnLine ? text.slice(text.indexOf(variable) + variable.length) : text });
    if (line > fnLine && /^\s*\}\s*[,)]/.test(text)) break;
  }
  const joined = body.map((part) => part.text).join(' ');
  const kind = array.test(joined) ? 'array' : object.test(joined) ? 'object' : undefined;
  if (!kind) return undefined;
  const written = new RegExp(`\\.\\.\\.\\s*${name}\\b|\\b${name}\\s*\\.\\s*concat\\b|Object\\.assign\\b`);
  const at = body.find((part) => written.test(part.text))?.line ?? fnLine;
  return { variable, kind, line: at };
}

/** ": each call copies its accumulator acc ([...acc, …]), so 18,000 calls copy about 162 million elements". */
export function accumulatorCopyReason(copy: AccumulatorCopy, calls: number): string {
  const written = copy.kind === 'array' ? `[...${copy.variable}, …]` : `{ ...${copy.variable}, … }`;
  const copied = (calls * calls) / 2;
  const amount =
    copied >= 1e6
      ? `${(copied / 1e6).toFixed(copied >= 1e7 ? 0 : 1)} million`
      : Math.round(copied).toLocaleString('en-US');
  return `each call copies the ${copy.variable} gathered so far (${written}), so ${calls.toLocaleString('en-US')} calls copy about ${amount} ${copy.kind === 'array' ? 'elements' : 'properties'}`;
}

/** What to change: add to one accumulator instead of copying it. */
export function accumulatorCopyAdvice(copy: AccumulatorCopy, where: string): string {
  return copy.kind === 'array'
    ? `Add to one array instead of copying it on every call at ${where} (${copy.variable}.push(x); return ${copy.variable}, or a plain map()): the work then grows with the list's length, not its square.`
    : `Set the key on one object instead of copying it on every call at ${where} (${copy.variable}[key] = value; return ${copy.variable}, or Object.fromEntries(…)): the work then grows with the number of keys, not its square.`;
}
