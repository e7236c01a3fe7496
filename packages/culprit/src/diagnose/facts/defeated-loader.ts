/**
 * A batch loader (DataLoader) that cannot batch: its batch function runs one statement per load because a new
 * loader is made for each call (`createUserLoader().load(id)` in a field resolver), so each has one key in its
 * batch and nothing in its cache. The N+1's statement sits in the batch function, which is right as written;
 * the line to change is where the loader is made per call. Pure: reads source through the reader it is given.
 */
import type { SourceLocation } from '../../capture/types.js';
import type { CallsPerRequest } from '../blame.js';
import type { ReadSource } from '../snippets.js';

/** How far above the statement's line the loader's construction is looked for (a batch function's body). */
const BATCH_FUNCTION_LINES = 30;
/** How far above the construction the function that makes the loader is looked for. */
const MAKER_LINES = 8;
const LOADER_MADE = /\bnew\s+Data[Ll]oader\s*[<(]/;

export interface DefeatedLoader {
  /** The `new DataLoader(` whose batch function issued the repeated statement. */
  madeAt: SourceLocation;
  /** The function that makes it, when it is a named maker (`function createUserLoader()`). */
  maker?: string;
  /** A call that makes a loader and loads from it at once (`createUserLoader().load(…)`): the line to change. */
  perCallAt?: SourceLocation;
}

/**
 * The loader whose batch function holds `statement`, when it is made once per load: a call site that makes a
 * loader and loads from it in one expression, or a maker the count pass saw called about as often as the
 * statement ran (`repeats`). Undefined for a loader made once per request (its batches hold every key).
 */
export function defeatedLoader(
  statement: SourceLocation,
  repeats: number,
  files: readonly string[],
  readSource: ReadSource,
  calls: CallsPerRequest,
): DefeatedLoader | undefined {
  const lines = readSource(statement.file)?.split(/\r?\n/);
  if (!lines) return undefined;
  const madeLine = constructionAbove(lines, statement.line);
  if (madeLine === undefined) return undefined;
  const madeAt: SourceLocation = { file: statement.file, line: madeLine, column: 1 };
  const maker = makerOf(lines, madeLine);
  const perCallAt = maker ? madeAndLoaded(maker, [statement.file, ...files], readSource) : undefined;
  if (perCallAt) return { madeAt, maker, perCallAt };
  // a loader made inside a resolver's own body: its function ran once per load
  const made = calls({ ...madeAt, ...(maker ? { functionName: maker } : {}) });
  if (made !== undefined && made >= repeats / 2 && repeats >= 2) return { madeAt, ...(maker ? { maker } : {}) };
  return undefined;
}

/** The nearest `new DataLoader(` at or above `line` whose call is still open at `line` (its batch function). */
function constructionAbove(lines: readonly string[], line: number): number | undefined {
  for (let at = line; at >= Math.max(1, line - BATCH_FUNCTION_LINES); at--) {
    if (!LOADER_MADE.test(lines[at - 1] ?? '')) continue;
    return stillOpen(lines, at, line) ? at : undefined;
  }
  return undefined;
}

/** Whether the parenthesis opened by the construction at `from` is not closed before `to` (rough: ignores strings). */
function stillOpen(lines: readonly string[], from: number, to: number): boolean {
  const text = lines.slice(from - 1, to - 1).join('\n');
  const start = text.search(LOADER_MADE);
  let depth = 0;
  for (const char of text.slice(start)) {
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return false;
  }
  return true;
}

/** The named function whose body makes the loader (`function createUserLoader() {`, `makeLoader = () =>`). */
function makerOf(lines: readonly string[], madeLine: number): string | undefined {
  for (let at = madeLine; at >= Math.max(1, madeLine - MAKER_LINES); at--) {
    const text = lines[at - 1] ?? '';
    const named =
      /\bfunction\s+([A-Za-z_$][\w$]*)\s*\(/.exec(text) ??
      /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>/.exec(text) ??
      /^\s*(?:static\s+|async\s+|public\s+|private\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::\s*[^{]+)?\{\s*$/.exec(
        text,
      );
    if (named?.[1] && !/^(?:if|for|while|switch|catch|return)$/.test(named[1])) return named[1];
  }
  return undefined;
}

/** The first line of `files` that calls `maker` and loads from what it returns (`maker(…).load(`). */
function madeAndLoaded(maker: string, files: readonly string[], readSource: ReadSource): SourceLocation | undefined {
  const pattern = new RegExp(`\\b${maker.replace(/\$/g, '\\$')}\\s*\\([^()]*\\)\\s*\\.\\s*load(?:Many)?\\s*\\(`);
  for (const file of new Set(files)) {
    const lines = readSource(file)?.split(/\r?\n/) ?? [];
    const index = lines.findIndex((text) => pattern.test(text));
    if (index >= 0) return { file, line: index + 1, column: 1 };
  }
  return undefined;
}
