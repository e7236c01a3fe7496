/**
 * Does an awaited call use what an earlier one returned? Read from the
 * source of the function that awaits them: a call depends on an earlier one
 * when its statement mentions a name the earlier statement bound (`const
 * user = await …` then `getTeam(user.teamId)`), directly or through names
 * derived from it in between (`const teamId = user.teamId`). Lexical, so it
 * errs towards "dependent" (a shadowed name, a use in a comment), which only
 * costs a finding, never invents one. Pure.
 */

/** Statements longer than this many lines are read up to it. */
const STATEMENT_LINES = 8;

const DECLARATION = /\b(?:const|let|var)\s+([\s\S]*?)\s*=(?!=)/g;
/** `for (const item of list)` binds `item` from `list` (no `=` for DECLARATION to see). */
const LOOP_BINDING = /\bfor\s*(?:await\s*)?\(\s*(?:const|let|var)\s+([\s\S]*?)\s+(?:of|in)\b/g;
const ASSIGNMENT = /(?:^|[;{(]\s*|^\s*)([A-Za-z_$][\w$]*)\s*=(?!=)/gm;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const KEYWORDS = new Set(['await', 'async', 'const', 'let', 'var', 'new', 'return', 'this', 'of', 'in']);

/** Names a statement binds: declared (with destructuring), a for-of or for-in loop's, or assigned. */
export function boundNames(statement: string): Set<string> {
  const names = new Set<string>();
  for (const match of [...statement.matchAll(DECLARATION), ...statement.matchAll(LOOP_BINDING)]) {
    // `{ a, b: c }` binds a and c; `[x, y]` binds x and y; defaults after '=' are not reached
    const pattern = match[1] ?? '';
    for (const part of pattern.replace(/[{}[\]]/g, ',').split(',')) {
      const name = part.includes(':') ? part.split(':').pop() : part;
      const id = name?.trim().match(/^\.{0,3}([A-Za-z_$][\w$]*)/)?.[1];
      if (id && !KEYWORDS.has(id)) names.add(id);
    }
  }
  for (const match of statement.matchAll(ASSIGNMENT)) {
    if (match[1] && !KEYWORDS.has(match[1])) names.add(match[1]);
  }
  return names;
}

/**
 * The object a statement changes in place: the receiver of the method call or property assignment it
 * starts with (`qb.andWhere({ author: author.id })`, `filter.ids = ids`). Given a result, that object
 * carries it on: a query builder's later statement then depends on the call that returned it.
 */
export function mutatedNames(statement: string): Set<string> {
  const receiver = /^\s*(?:await\s+)?([A-Za-z_$][\w$]*)\s*(?:\??\.\s*[A-Za-z_$][\w$]*\s*(?:\(|=(?!=))|\[)/.exec(
    statement,
  )?.[1];
  return new Set(receiver && !KEYWORDS.has(receiver) ? [receiver] : []);
}

/** Identifiers a text uses, not counting property names after a dot or the keys of an object literal. */
export function usedNames(text: string): Set<string> {
  const used = new Set<string>();
  const code = text.replace(/\/\/.*$/gm, '');
  for (const match of code.matchAll(IDENTIFIER)) {
    const before = code[(match.index ?? 0) - 1];
    if (before === '.' && code[(match.index ?? 0) - 2] !== '.') continue;
    used.add(match[0]);
  }
  return used;
}

/** A line that goes on with the statement above it: a chained call (`  .where({ id })`, Knex's style). */
const CHAINED = /^\s*\??\./;

/**
 * The statement starting at a 1-based line: until its brackets close and no chained call follows,
 * at most STATEMENT_LINES, before `stop`.
 */
export function statementAt(
  lines: readonly string[],
  line: number,
  stop = Number.POSITIVE_INFINITY,
  maxLines = STATEMENT_LINES,
): string {
  let text = '';
  let depth = 0;
  for (let at = line; at < Math.min(stop, line + maxLines, lines.length + 1); at++) {
    const current = lines[at - 1] ?? '';
    text += `${current}\n`;
    for (const char of current.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '')) {
      if (char === '(' || char === '[' || char === '{') depth++;
      if (char === ')' || char === ']' || char === '}') depth--;
    }
    if (depth <= 0 && !CHAINED.test(lines[at] ?? '')) break;
  }
  return text;
}

/**
 * Splits calls made in order from one function (their 1-based lines,
 * ascending) into windows of calls independent of each other: a call that
 * uses a result of a call of its window, or follows a guard on one, starts
 * the next window.
 */
export function independentWindows(lines: readonly string[], callLines: readonly number[]): number[][] {
  const windows: number[][] = [];
  let window: number[] = [];
  let results = new Set<string>();
  for (let k = 0; k < callLines.length; k++) {
    const line = callLines[k] as number;
    const previous = callLines[k - 1];
    // names derived in between from results (`const id = user.teamId`) are results too; a guard on a result
    // (`if (!depot) throw …`) decides whether the later calls run at all, so they wait for it
    let guarded = false;
    if (previous !== undefined) {
      let at = previous + 1;
      while (at < line) {
        const statement = statementAt(lines, at, line);
        const uses = usedNames(statement);
        if ([...results].some((name) => uses.has(name))) {
          for (const name of [...boundNames(statement), ...mutatedNames(statement)]) results.add(name);
          if (/^\s*if\b[\s\S]*\b(?:throw|return)\b/.test(statement)) guarded = true;
        }
        at += Math.max(1, statement.split('\n').length - 1);
      }
    }
    const statement = statementAt(lines, line, callLines[k + 1]);
    const uses = usedNames(statement.replace(/^[^=]*?=(?!=)/, ''));
    if (window.length > 0 && (guarded || [...results].some((name) => uses.has(name)))) {
      windows.push(window);
      window = [];
      results = new Set();
    }
    window.push(line);
    for (const name of boundNames(statement)) results.add(name);
  }
  if (window.length > 0) windows.push(window);
  return windows;
}

/** How far above a line its enclosing loop's header is looked for. */
const LOOP_REACH = 40;
const LOOP_START = /^\s*(?:[A-Za-z_$][\w$]*\s*:\s*)?(?:for\s*(?:await\s*)?\(|while\s*\(|do\b)/;
const FUNCTION_HEAD = /\bfunction\b|=>\s*\{|^\s*(?:async\s+)?(?:static\s+)?(?:get\s+|set\s+)?['"[\w$][^=]*\)\s*\{\s*$/;

/** `line` without strings and line comments, for bracket counting. */
function code(line: string): string {
  return line.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, '');
}

/**
 * The loop whose body holds a 1-based line, within the line's own function:
 * its header line and body's last line. Found by walking up while counting
 * brackets; a function's head met first means the line is in no loop of it.
 */
export function enclosingLoop(lines: readonly string[], line: number): { header: number; end: number } | undefined {
  let depth = 0;
  for (let at = line - 1; at >= Math.max(1, line - LOOP_REACH); at--) {
    const text = code(lines[at - 1] ?? '');
    for (let i = text.length - 1; i >= 0; i--) {
      if (text[i] === '}') depth++;
      if (text[i] === '{') depth--;
    }
    if (depth >= 0) continue;
    // this line opens a block around `line`: a loop, a function, or another block to look past
    if (LOOP_START.test(text)) return { header: at, end: blockEnd(lines, at) };
    if (FUNCTION_HEAD.test(text)) return undefined;
    depth = 0;
  }
  return undefined;
}

/** The last line of the block opened on `header` (bounded). */
function blockEnd(lines: readonly string[], header: number): number {
  let depth = 0;
  let opened = false;
  for (let at = header; at <= Math.min(lines.length, header + LOOP_REACH * 2); at++) {
    for (const char of code(lines[at - 1] ?? '')) {
      if (char === '{') {
        depth++;
        opened = true;
      }
      if (char === '}') depth--;
    }
    if (opened && depth <= 0) return at;
  }
  return header;
}

/**
 * Do a loop's iterations run independent calls? Not when the call at
 * `callLine` or the loop's header uses a name the body assigns (a cursor, the
 * next page's URL), nor when the body leaves early (`break`, `return`: the
 * next call is made only if this one did not answer, a fallback or a search).
 */
export function iterationsIndependent(
  lines: readonly string[],
  loop: { header: number; end: number },
  callLine: number,
) {
  const body = lines.slice(loop.header - 1, loop.end).join('\n');
  if (/\b(?:break|return)\b/.test(body.replace(/\/\/.*$/gm, ''))) return false;
  const carried = new Set<string>();
  for (const match of body.matchAll(ASSIGNMENT)) {
    const name = match[1];
    if (name && !KEYWORDS.has(name)) carried.add(name);
  }
  const uses = usedNames(`${lines[loop.header - 1] ?? ''}\n${statementAt(lines, callLine, loop.end + 1)}`);
  return ![...carried].some((name) => uses.has(name));
}
