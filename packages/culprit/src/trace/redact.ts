/**
 * The one redaction policy for what culprit writes (captures, `--json`,
 * `--save`): query-string values, SQL parameters, request bodies and header
 * values in command lines, the target's secret-looking argv, and secrets in
 * free text (error bodies, errors, `--log` values, `--when` locals) become `?`
 * unless the user keeps them (`--keep-params`), since captures get shared and
 * values carry tokens, cookies, e-mails and ids. SQL text is normalized
 * (literals out) so equal statements group.
 */
import type { Capture, LogpointHit, QueryRecord, RequestRecord, RowsRead, StackCapture } from '../capture/types.js';
import { normalizeSql } from '../probe/queries/normalize-sql.js';
import { leadingWildcardColumns } from './leading-wildcards.js';
import { parseLogSpec } from './log-spec.js';
import { offsetRows } from './offset-rows.js';
import { isSecretName, redactText } from './redact-text.js';
import { valuesKey } from './values-key.js';

/** `/a?x=1&y=two` → `/a?x=?&y=?`: names stay (they explain the request), values go. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const hash = url.indexOf('#', at);
  const query = url.slice(at + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? pair : `${pair.slice(0, eq)}=?`;
    })
    .join('&');
  return `${url.slice(0, at)}?${redacted}`;
}

/** Normalizes each distinct text once: a loop's queries share one raw text and so one shape string. */
function shapeCache(): (sql: string) => string {
  const shapes = new Map<string, string>();
  return (sql) => {
    let shape = shapes.get(sql);
    if (shape === undefined) {
      shape = normalizeSql(sql);
      shapes.set(sql, shape);
    }
    return shape;
  };
}

function sanitizeQuery(query: QueryRecord, keepParams: boolean, shapeOf: (sql: string) => string): QueryRecord {
  // from the raw statement: mysql2's query() inlines the values, so normalizing first would equate them
  const out: QueryRecord = { ...query, sql: shapeOf(query.sql), valuesKey: valuesKey(query.sql, query.params) };
  // the pattern is a value, gone once redacted: what the index advice needs of it is kept now
  const wildcards = leadingWildcardColumns(query.sql, query.params);
  if (wildcards.length > 0) out.leadingWildcard = wildcards;
  const skipped = offsetRows(query.sql, query.params);
  if (skipped !== undefined) out.offsetRows = skipped;
  if (query.params) out.params = keepParams ? query.params : query.params.map(() => '?');
  // column names and sizes only: rebuilt so that nothing else a hook might have attached is written
  if (query.read) out.read = readSizes(query.read);
  // a driver's error may quote the values (pg: "Key (email)=(a@b.c) already exists")
  if (query.error !== undefined && !keepParams) out.error = redactText(query.error);
  return out;
}

function readSizes(read: RowsRead): RowsRead {
  const out: RowsRead = { bytes: read.bytes };
  if (read.wide) out.wide = read.wide.map(({ name, bytes }) => ({ name, bytes }));
  if (read.narrow) out.narrow = [...read.narrow];
  return out;
}

/** A request record fit for a capture: SQL normalized, values and secrets in its texts redacted unless kept. */
export function sanitizeRecord(record: RequestRecord, keepParams: boolean): RequestRecord {
  const shapeOf = shapeCache();
  const out: RequestRecord = {
    ...record,
    url: keepParams ? record.url : redactUrl(record.url),
    queries: record.queries.map((query) => sanitizeQuery(query, keepParams, shapeOf)),
  };
  if (record.http) {
    out.http = record.http.map((call) => {
      const kept = { ...call, url: keepParams ? call.url : redactUrl(call.url) };
      if (call.error !== undefined && !keepParams) kept.error = redactText(call.error);
      return kept;
    });
  }
  if (keepParams) return out;
  if (record.bodyHead !== undefined) out.bodyHead = redactText(record.bodyHead);
  if (record.error !== undefined) out.error = redactText(record.error);
  return out;
}

/** `--log` hits: a value whose expression names a secret (`user.password`) goes whole; others lose the secrets they carry. */
function redactLogs(hits: LogpointHit[]): LogpointHit[] {
  const expressions = new Map<string, string[]>();
  const expressionsOf = (spec: string): string[] => {
    let known = expressions.get(spec);
    if (!known) {
      try {
        known = parseLogSpec(spec).expressions;
      } catch {
        known = []; // a spec that no longer parses: values are still scrubbed as text
      }
      expressions.set(spec, known);
    }
    return known;
  };
  return hits.map((hit) => {
    const names = expressionsOf(hit.spec);
    return { ...hit, values: hit.values.map((value, i) => (isSecretName(names[i] ?? '') ? '?' : redactText(value))) };
  });
}

/** `--when` stacks: locals named like secrets go whole; the others lose the secrets they carry. */
function redactStops(stops: StackCapture[]): StackCapture[] {
  return stops.map((stop) => ({
    ...stop,
    frames: stop.frames.map((frame) => ({
      ...frame,
      locals: Object.fromEntries(
        Object.entries(frame.locals).map(([name, value]) => [name, isSecretName(name) ? '?' : redactText(value)]),
      ),
    })),
  }));
}

/**
 * The capture as it may be written: the target's argv (`--db-password=x`,
 * URL passwords), logs, locals and notes under the policy (records are sanitized
 * one by one as they arrive: `sanitizeRecord`). Unchanged with `keepParams`.
 */
export function redactCapture(capture: Capture, keepParams: boolean): Capture {
  if (keepParams) return capture;
  const out: Capture = { ...capture };
  if (capture.target.command) out.target = { ...capture.target, command: redactArgv(capture.target.command, false) };
  if (capture.logs) out.logs = redactLogs(capture.logs);
  if (capture.stops) out.stops = redactStops(capture.stops);
  if (capture.notes) out.notes = capture.notes.map(redactText); // probe faults and plan errors quote what failed
  return out;
}

/** Flag names whose value is a secret wherever they appear (culprit's or the target's argv). */
const SECRET_FLAG =
  /^--?[\w-]*(pass(word)?|passwd|secret|token|api[-_]?key|auth(orization)?|cookie|credentials?|private[-_]?key)[\w-]*$/i;

function redactHeader(text: string): string {
  const colon = text.indexOf(':');
  return colon < 0 ? text : `${text.slice(0, colon)}: ?`;
}

/** `user:pass@host` in URLs (database URLs in argv): the password goes. */
function redactUrlCredentials(arg: string): string {
  return arg.replace(/(\w+:\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1?@');
}

/**
 * One argument of a command line under the redaction policy: header values,
 * request bodies (`-d`), values of secret-looking flags (`--db-password=x`),
 * URL query values and URL passwords become `?`. `previous` is the argument
 * before it, for the `-d BODY` / `-H 'N: v'` / `--token X` forms.
 */
export function redactArgument(arg: string, previous: string | undefined): string {
  if (previous === '-H' || previous === '--header') return redactHeader(arg);
  if (previous === '-d' || previous === '--data') return '?';
  if (previous !== undefined && SECRET_FLAG.test(previous) && !previous.includes('=')) return '?';
  if (arg.startsWith('--header=')) return `--header=${redactHeader(arg.slice('--header='.length))}`;
  if (arg.startsWith('-H') && arg.length > 2 && arg.includes(':')) return `-H${redactHeader(arg.slice(2))}`;
  if (arg.startsWith('--data=')) return '--data=?';
  if (/^-d./.test(arg)) return '-d?';
  const eq = arg.indexOf('=');
  if (arg.startsWith('-') && eq > 0 && SECRET_FLAG.test(arg.slice(0, eq))) return `${arg.slice(0, eq)}=?`;
  const withoutCredentials = redactUrlCredentials(arg);
  return withoutCredentials.includes('?') && !withoutCredentials.endsWith('?@')
    ? redactUrl(withoutCredentials)
    : withoutCredentials;
}

/** A command line (culprit's own, or the target's argv) fit to be written: see `redactArgument`. */
export function redactArgv(args: readonly string[], keepParams: boolean): string[] {
  if (keepParams) return [...args];
  return args.map((arg, i) => redactArgument(arg, args[i - 1]));
}

/** The culprit command line for `tool.command`, redacted unless kept (`--keep-params`). */
export function redactCommandLine(args: readonly string[], keepParams: boolean): string {
  return redactArgv(args, keepParams).join(' ');
}
