/**
 * The line that puts a per-request value (the time, a random or request id)
 * into a cache key, read from the source around the line that reads the
 * cache: the key written inline, a variable assigned above it, or a helper of
 * the same file that builds it (`this.cacheKey(id)`). Undefined when the
 * source does not show one. Pure given the reader.
 */
import type { SourceLocation } from '../../capture/types.js';
import type { ReadSource } from '../snippets.js';

/** What changes on every request, as code writes it. */
const CHANGING =
  /\bDate\.now\s*\(\)|\bnew Date\s*\(\s*\)|\bperformance\.now\s*\(|\bprocess\.hrtime\b|\bMath\.random\s*\(|\brandomUUID\s*\(|\buuid(?:v4)?\s*\(|\bv4\s*\(|\bnanoid\s*\(|\b(?:req|request|ctx)\.id\b|\brequestId\b/;
/** How far above the read a key variable may be assigned. */
const ASSIGNMENT_LINES = 30;
/** How far into a helper its key may be built. */
const HELPER_LINES = 10;
/** The first argument of a cache read: `redis.get(key)`, `this.cache.get(\`p:${id}\`)`, `client.hGet(k, f)`. */
const READ_ARGUMENT = /\.\s*(?:get|getex|getEx|hget|hGet|hgetall|hGetAll)\s*\(\s*([^,)]*)/;

export interface ChangingKey {
  location: SourceLocation;
  /** The changing part as written: `Date.now()`. */
  part: string;
}

const escapeName = (name: string): string => name.replace(/[$]/g, '\\$&');

function changingAt(lines: readonly string[], line: number, at: SourceLocation): ChangingKey | undefined {
  const part = CHANGING.exec(lines[line - 1] ?? '')?.[0];
  if (!part) return undefined;
  // a call as a reader writes it, `randomUUID()`, whatever its arguments
  const written = part.replace(/\s+/g, '');
  return { location: { ...at, line, column: 1 }, part: written.endsWith('(') ? `${written})` : written };
}

/** The helper `name` defined in the file, and the first line of its body that adds a changing part. */
function inHelper(lines: readonly string[], name: string, at: SourceLocation): ChangingKey | undefined {
  const n = escapeName(name);
  const defined = new RegExp(
    `(?:\\bfunction\\s+${n}\\s*\\(|^\\s*(?:async\\s+)?${n}\\s*\\([^)]*\\)\\s*\\{|\\b${n}\\s*[:=]\\s*(?:async\\s*)?(?:function\\b|\\(|[\\w$]+\\s*=>))`,
  );
  const start = lines.findIndex((text) => defined.test(text));
  if (start < 0) return undefined;
  for (let line = start + 1; line <= Math.min(lines.length, start + 1 + HELPER_LINES); line++) {
    const found = changingAt(lines, line, at);
    if (found) return found;
  }
  return undefined;
}

/** The changing part of an expression that is a key: written in it, or added by the helper it calls. */
function inExpression(
  lines: readonly string[],
  expression: string,
  line: number,
  at: SourceLocation,
): ChangingKey | undefined {
  if (CHANGING.test(expression)) return changingAt(lines, line, at);
  const helper = /(?:^|[^\w$])([A-Za-z_$][\w$]*)\s*\(/.exec(expression)?.[1];
  return helper ? inHelper(lines, helper, at) : undefined;
}

export function changingKeyLine(read: SourceLocation, readSource: ReadSource | undefined): ChangingKey | undefined {
  const lines = readSource?.(read.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  const text = lines?.[read.line - 1];
  if (!lines || text === undefined) return undefined;
  const argument = READ_ARGUMENT.exec(text)?.[1]?.trim();
  if (!argument) return undefined;
  if (!/^[A-Za-z_$][\w$]*$/.test(argument)) return inExpression(lines, argument, read.line, read);
  const assigned = new RegExp(`(?:^|[^\\w$.])${escapeName(argument)}\\s*=(?!=)\\s*(.*)$`);
  for (let line = read.line - 1; line >= Math.max(1, read.line - ASSIGNMENT_LINES); line--) {
    const value = assigned.exec(lines[line - 1] ?? '')?.[1];
    if (value !== undefined) return inExpression(lines, value, line, read);
  }
  return undefined;
}
