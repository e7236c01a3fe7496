/**
 * The class whose `<instance_members_initializer>` V8 reports at an offset.
 * Where that range starts depends on the V8 inside Node: at `class Name` on
 * Node 20, at the body's `{` on 22, at the first instance field on 24 (after
 * any static fields and methods). So the class is found by its header: the
 * nearest `class` keyword before the offset whose body holds the offset at its
 * own level. Pure: a small forward scanner that skips strings, template
 * literals, comments and regular expressions, so braces inside them don't count.
 */

/** A class header: its name (when it has one) and where its `class` keyword starts. */
export interface ClassHeader {
  name: string | null;
  start: number;
}

/** How many `class` keywords to try backwards before giving up (nested and sibling classes). */
const MAX_CANDIDATES = 64;
const IDENTIFIER = /[A-Za-z0-9_$]/;
/** After these a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set(['', ...'(,=:[!&|?{};+-*%<>~^']);

/** The class whose instance fields V8's initializer range at `offset` belongs to, or null. */
export function classAt(source: string, offset: number): ClassHeader | null {
  let from = Math.min(offset, source.length - 1);
  for (let tries = 0; tries < MAX_CANDIDATES && from >= 0; tries++) {
    const start = source.lastIndexOf('class', from);
    if (start < 0) return null;
    from = start - 1;
    if (IDENTIFIER.test(source[start - 1] ?? '') || IDENTIFIER.test(source[start + 5] ?? '')) continue;
    const header = readHeader(source, start);
    if (!header) continue;
    if (start === offset || header.bodyStart === offset) return { name: header.name, start };
    if (header.bodyStart < offset && atBodyLevel(source, header.bodyStart + 1, offset)) {
      return { name: header.name, start };
    }
  }
  return null;
}

/** The binding a class expression is assigned to (`const Name = class {`), read backwards from `class`. */
export function bindingBefore(source: string, start: number): string | null {
  const before = /([A-Za-z_$][\w$]*)\s*=\s*$/.exec(source.slice(Math.max(0, start - 120), start));
  return before?.[1] ?? null;
}

/** `class Name extends X {`: the name and the body's `{` (the first at bracket depth 0). */
function readHeader(source: string, start: number): { name: string | null; bodyStart: number } | null {
  const named = /^class\s+([A-Za-z_$][\w$]*)/.exec(source.slice(start, start + 300));
  const name = named?.[1] && named[1] !== 'extends' ? named[1] : null;
  const scan = new Scanner(source, start + 5);
  let depth = 0;
  while (scan.position < source.length && scan.position < start + 2000) {
    const char = scan.next();
    if (char === null) continue;
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === '{' && depth === 0) return { name, bodyStart: scan.position - 1 };
    else if (depth < 0 || (depth === 0 && (char === ';' || char === '}'))) return null;
  }
  return null;
}

/** True when `offset` lies directly in the body opened just before `from` (not nested, not after it closed). */
function atBodyLevel(source: string, from: number, offset: number): boolean {
  const scan = new Scanner(source, from);
  let depth = 0;
  while (scan.position < offset) {
    const char = scan.next();
    if (char === null) continue;
    if (char === '{' || char === '(' || char === '[') depth++;
    else if (char === '}' || char === ')' || char === ']') {
      depth--;
      if (depth < 0) return false;
    }
  }
  return scan.position === offset && depth === 0;
}

/**
 * Steps through code one significant character at a time; strings, template
 * literals, comments and regular expressions are consumed whole (next() gives
 * null for them). A template's `${` is a bracket like any other, so it is
 * left open and its text is resumed when the matching `}` closes it.
 */
class Scanner {
  position: number;
  private last = '';
  /** Per open bracket: true when it is a template's `${` (its `}` resumes the template). */
  private readonly opens: boolean[] = [];

  constructor(
    private readonly source: string,
    from: number,
  ) {
    this.position = from;
  }

  next(): string | null {
    const source = this.source;
    const char = source[this.position] ?? '';
    const following = source[this.position + 1] ?? '';
    this.position++;
    if (/\s/.test(char)) return null;
    if (char === '/' && following === '/') {
      const end = source.indexOf('\n', this.position);
      this.position = end < 0 ? source.length : end;
      return null;
    }
    if (char === '/' && following === '*') {
      const end = source.indexOf('*/', this.position + 1);
      this.position = end < 0 ? source.length : end + 2;
      return null;
    }
    if (char === '"' || char === "'") return this.skipString(char);
    if (char === '`') return this.skipTemplate();
    if (char === '/' && (BEFORE_REGEX.has(this.last) || /(?:^|[^\w$])(?:return|typeof|case)$/.test(this.tail()))) {
      return this.skipRegex();
    }
    if (char === '{' || char === '(' || char === '[') this.opens.push(false);
    if (char === '}' || char === ')' || char === ']') {
      if (this.opens.pop() === true && char === '}') {
        // the end of a `${…}`: the template's text goes on, and this `}` is not code
        this.skipTemplate();
        return null;
      }
    }
    this.last = char;
    return char;
  }

  private tail(): string {
    return this.source.slice(Math.max(0, this.position - 8), this.position - 1).trimEnd();
  }

  private skipString(quote: string): null {
    const source = this.source;
    while (this.position < source.length) {
      const char = source[this.position++];
      if (char === '\\') this.position++;
      else if (char === quote || char === '\n') break;
    }
    this.last = quote;
    return null;
  }

  /** Template text up to its closing backtick, or up to a `${` (then the bracket stays open). */
  private skipTemplate(): null {
    const source = this.source;
    while (this.position < source.length) {
      const char = source[this.position++];
      if (char === '\\') this.position++;
      else if (char === '`') break;
      else if (char === '$' && source[this.position] === '{') {
        this.position++;
        this.opens.push(true);
        this.last = '{';
        return null;
      }
    }
    this.last = '`';
    return null;
  }

  private skipRegex(): null {
    const source = this.source;
    let inClass = false;
    while (this.position < source.length) {
      const char = source[this.position++];
      if (char === '\\') this.position++;
      else if (char === '[') inClass = true;
      else if (char === ']') inClass = false;
      else if ((char === '/' && !inClass) || char === '\n') break;
    }
    while (IDENTIFIER.test(source[this.position] ?? '')) this.position++; // flags
    this.last = '/';
    return null;
  }
}
