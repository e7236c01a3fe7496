/**
 * The line that puts a per-request value (the time, a random or request id)
 * into a cache key, read from the source around the line that reads the
 * cache: the key written inline, a variable assigned above it, or a helper of
 * the same file that builds it (`this.cacheKey(id)`). Undefined when the
 * source does not show one. Pure given the reader.
 */
import type { SourceLocation } from '../../capture/types.js';
import { importedFiles } from '../facts/imported-files.js';
import type { ReadSource } from '../snippets.js';

/** What changes on every request, as code writes it. */
const CHANGING =
  /\bDate\.now\s*\(\)|\bnew Date\s*\(\s*\)|\bperformance\.now\s*\(|\bprocess\.hrtime\b|\bMath\.random\s*\(|\brandomUUID\s*\(|\buuid(?:v4)?\s*\(|\bv4\s*\(|\bnanoid\s*\(|\b(?:req|request|ctx)\.id\b|\brequestId\b/;
/** How far above the read a key variable may be assigned. */
const ASSIGNMENT_LINES = 30;
/** Variables followed from the key to what it holds: `key` ← `query` ← `range` ← a helper's `new Date()`. */
const KEY_HOPS = 3;
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
  const written = part.replace(/\s*\(\s*/g, '(').replace(/\s+/g, ' ');
  return { location: { ...at, line, column: 1 }, part: written.endsWith('(') ? `${written})` : written };
}

/** The helper `name` defined in the file, and the first line of its body that adds a changing part. */
function inHelper(lines: readonly string[], name: string, at: SourceLocation): ChangingKey | undefined {
  const n = escapeName(name);
  const defined = new RegExp(
    `(?:\\bfunction\\s+${n}\\s*(?:<[^()]*>)?\\s*\\(|^\\s*(?:async\\s+)?${n}\\s*\\([^)]*\\)\\s*\\{|\\b${n}\\s*[:=]\\s*(?:async\\s*)?(?:function\\b|\\(|[\\w$]+\\s*=>))`,
  );
  const start = lines.findIndex((text) => defined.test(text));
  if (start < 0) return undefined;
  // from the header: a default parameter (`now = new Date()`) is the helper's changing part when callers omit it
  for (let line = start + 1; line <= Math.min(lines.length, start + 1 + HELPER_LINES); line++) {
    const found = changingAt(lines, line, at);
    if (found) return found;
  }
  return undefined;
}

/**
 * A helper another module exports (`resolveRange(def.range)` from `lib/timeRange`) whose header or body
 * adds a changing part (`now: Date = new Date()`): named at the line here that calls it, where the value
 * enters the key, with the helper's part.
 */
function importedHelper(name: string, call: SourceLocation, readSource?: ReadSource): ChangingKey | undefined {
  if (!readSource) return undefined;
  for (const file of importedFiles(call.file, readSource)) {
    const lines = readSource(file)?.split(/\r?\n/) ?? [];
    const found = inHelper(lines, name, { file, line: 1, column: 1 });
    if (found) return { location: { ...call, column: 1 }, part: `${found.part} in ${name}()` };
  }
  return undefined;
}

/**
 * The changing part of an expression that is a key: written in it, added by the helper it calls, or held by
 * a variable it names that was assigned a changing value just above (`${asOf.toISOString()}`, with
 * `asOf = new Date()` a line before).
 */
function inExpression(
  lines: readonly string[],
  expression: string,
  line: number,
  at: SourceLocation,
  hops = 1,
  readSource?: ReadSource,
): ChangingKey | undefined {
  if (CHANGING.test(expression)) return changingAt(lines, line, at);
  const helper = /(?:^|[^\w$])([A-Za-z_$][\w$]*)\s*\(/.exec(expression)?.[1];
  const helped = helper
    ? (inHelper(lines, helper, at) ?? importedHelper(helper, { ...at, line }, readSource))
    : undefined;
  if (helped || hops <= 0) return helped;
  for (const name of new Set(expression.match(/(?<![\w$.])[A-Za-z_$][\w$]*/g) ?? [])) {
    const found = assignedAbove(lines, name, line, at, hops - 1, readSource);
    if (found) return found;
  }
  return undefined;
}

/** The changing part of the value `name` was last assigned above `line`, if it has one. */
function assignedAbove(
  lines: readonly string[],
  name: string,
  line: number,
  at: SourceLocation,
  hops: number,
  readSource?: ReadSource,
): ChangingKey | undefined {
  const assigned = new RegExp(`(?:^|[^\\w$.])${escapeName(name)}\\s*=(?!=)\\s*(.*)$`);
  for (let above = line - 1; above >= Math.max(1, line - ASSIGNMENT_LINES); above--) {
    const value = assigned.exec(lines[above - 1] ?? '')?.[1];
    if (value !== undefined) return inExpression(lines, value, above, at, hops, readSource);
  }
  return undefined;
}

/** The function whose header at or above `line` declares `parameter`: a helper handed its key by callers. */
function declaringFunction(lines: readonly string[], line: number, parameter: string): string | undefined {
  const p = escapeName(parameter);
  const header = new RegExp(
    `(?:\\bfunction\\s+([\\w$]+)|^\\s*(?:async\\s+)?([\\w$]+)|\\b([\\w$]+)\\s*[:=]\\s*(?:async\\s*)?(?:function\\b)?)\\s*(?:<[^()]*>)?\\s*\\(([^)]*\\b${p}\\b[^)]*)\\)`,
  );
  for (let above = line; above >= Math.max(1, line - ASSIGNMENT_LINES); above--) {
    const found = header.exec(lines[above - 1] ?? '');
    const name = found?.[1] ?? found?.[2] ?? found?.[3];
    if (name && !/^(?:if|for|while|switch|catch)$/.test(name)) return name;
  }
  return undefined;
}

/** A call of the helper `name` in `files` whose first argument is, or holds, a changing key. */
function inCallers(name: string, files: readonly string[], readSource: ReadSource): ChangingKey | undefined {
  const call = new RegExp(`(?<![\\w$.]function\\s)\\b${escapeName(name)}\\s*\\(\\s*([^,)]*)`);
  for (const file of files) {
    const lines = readSource(file)?.split(/\r?\n/) ?? [];
    for (let line = 1; line <= lines.length; line++) {
      const text = lines[line - 1] ?? '';
      if (/\bfunction\b/.test(text)) continue;
      const argument = call.exec(text)?.[1]?.trim();
      if (!argument) continue;
      const at: SourceLocation = { file, line, column: 1 };
      const found = /^[A-Za-z_$][\w$]*$/.test(argument)
        ? assignedAbove(lines, argument, line, at, KEY_HOPS, readSource)
        : inExpression(lines, argument, line, at, KEY_HOPS, readSource);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * `files`: the application's files the request ran, where the callers of a helper that reads the cache with
 * the key it was handed (`remember(key, ttl, compute)`) are looked for.
 */
export function changingKeyLine(
  read: SourceLocation,
  readSource: ReadSource | undefined,
  files: readonly string[] = [],
): ChangingKey | undefined {
  const lines = readSource?.(read.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  const text = lines?.[read.line - 1];
  if (!readSource || !lines || text === undefined) return undefined;
  const argument = READ_ARGUMENT.exec(text)?.[1]?.trim();
  if (!argument) return undefined;
  if (!/^[A-Za-z_$][\w$]*$/.test(argument)) return inExpression(lines, argument, read.line, read, KEY_HOPS, readSource);
  const here = assignedAbove(lines, argument, read.line, read, KEY_HOPS, readSource);
  if (here) return here;
  const helper = declaringFunction(lines, read.line, argument);
  return helper ? inCallers(helper, files, readSource) : undefined;
}
