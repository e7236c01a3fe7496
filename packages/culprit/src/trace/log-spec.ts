/**
 * Parsing of `--log` and `--when` specs, the story's `print` and conditional
 * `breakpoint()` given on the command line:
 *
 *   --log  'src/api/viewsets.ts:42 request.query, items.length'
 *   --log  'Ephemeron#constructor args[0], this.constructor.name'
 *   --when 'Ephemeron#constructor args[0] === 20000'
 *
 * A target is `FILE:LINE` (the original, e.g. TypeScript, file and 1-based
 * line; the probe maps it to the generated position) or `ClassName#member`
 * (`constructor` or a method). `args` is the function's arguments. Pure: the
 * probe receives the parsed spec as JSON.
 */
import { CulpritError } from '../errors/culprit-error.js';

export type SpecTarget =
  | { kind: 'line'; file: string; line: number }
  | { kind: 'member'; className: string; member: string };

export interface LogpointSpec {
  kind: 'log';
  /** The spec as given, for messages and `LogpointHit.spec`. */
  text: string;
  target: SpecTarget;
  /** Expressions whose values each hit records (may be empty: count only). */
  expressions: string[];
}

export interface WhenSpec {
  kind: 'when';
  text: string;
  target: SpecTarget;
  condition: string;
}

export type BreakpointSpec = LogpointSpec | WhenSpec;

const EXPECTED = "expected 'FILE:LINE …' (e.g. 'src/app.ts:42') or 'ClassName#constructor …'";
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function parseLogSpec(text: string): LogpointSpec {
  const { target, rest } = splitSpec('--log', text);
  const expressions = splitExpressions(rest);
  for (const expression of expressions) checkSyntax('--log', text, expression);
  return { kind: 'log', text, target, expressions };
}

export function parseWhenSpec(text: string): WhenSpec {
  const { target, rest } = splitSpec('--when', text);
  const condition = rest.trim();
  if (!condition) {
    throw bad(
      '--when',
      text,
      `a condition is missing after the target (e.g. '${targetText(target)} args[0] === 20000')`,
    );
  }
  checkSyntax('--when', text, condition);
  return { kind: 'when', text, target, condition };
}

/** Parses a target alone (`FILE:LINE` or `ClassName#member`); undefined when it is neither. */
export function parseTarget(head: string): SpecTarget | undefined {
  const hash = head.indexOf('#');
  if (hash > 0) {
    const className = head.slice(0, hash);
    const member = head.slice(hash + 1);
    if (IDENTIFIER.test(className) && IDENTIFIER.test(member)) return { kind: 'member', className, member };
    return undefined;
  }
  const match = /^(.+):(\d+)$/.exec(head);
  if (!match) return undefined;
  const line = Number(match[2]);
  if (!Number.isSafeInteger(line) || line < 1) return undefined;
  return { kind: 'line', file: match[1] as string, line };
}

export function targetText(target: SpecTarget): string {
  return target.kind === 'line' ? `${target.file}:${target.line}` : `${target.className}#${target.member}`;
}

function splitSpec(flag: string, text: string): { target: SpecTarget; rest: string } {
  const trimmed = text.trim();
  if (!trimmed) throw bad(flag, text, `the spec is empty; ${EXPECTED}`);
  const space = trimmed.search(/\s/);
  const head = space < 0 ? trimmed : trimmed.slice(0, space);
  const rest = space < 0 ? '' : trimmed.slice(space + 1);
  const target = parseTarget(head);
  if (!target) {
    const hint = /:\d*$/.test(head) && !/:\d+$/.test(head) ? ' (the line number is missing)' : '';
    throw bad(flag, text, `'${head}' is not a target${hint}; ${EXPECTED}`);
  }
  return { target, rest };
}

/** Splits on commas outside brackets, strings, template literals and regex-free code. */
export function splitExpressions(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') depth -= 1;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

/**
 * The probe splices each expression into a wrapper (`() => (\nEXPR\n)`), so
 * it must be one expression that stays inside it. Parsing it alone is not
 * enough: `1); process.exit(); (2` parses as `return (1); …; (2);` yet breaks
 * out of the wrapper, and V8 then silently never records or pauses. So the
 * expression is compiled inside three different brackets: one that escapes
 * a `(` must close it with a `)`, which inside `[` or `${` is a syntax error.
 * Newlines keep a trailing `// comment` from swallowing the closing bracket.
 */
function checkSyntax(flag: string, text: string, expression: string): void {
  // compiled only, never called: a syntax check with the same grammar V8 will use
  try {
    new Function('args', `return (\n${expression}\n);`);
  } catch (error) {
    throw bad(flag, text, `'${expression}' is not a JavaScript expression (${(error as Error).message})`);
  }
  try {
    new Function('args', `return [\n${expression}\n];`);
    new Function('args', `return \`\${\n${expression}\n}\`;`);
  } catch {
    throw bad(
      flag,
      text,
      `'${expression}' is not one expression: it closes a bracket it did not open, which would run code outside culprit's wrapper`,
    );
  }
}

function bad(flag: string, text: string, why: string): CulpritError {
  return new CulpritError('CULPRIT_E_BAD_LOG_SPEC', `${flag} '${text}': ${why}`);
}
