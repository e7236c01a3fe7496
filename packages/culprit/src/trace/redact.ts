/**
 * What trace writes about a request's inputs: query-string values and SQL
 * parameters are replaced by `?` unless the user keeps them (`--keep-params`),
 * since captures get shared and values carry tokens, e-mails and ids. SQL text
 * is normalized (literals out) so equal statements group.
 */
import type { QueryRecord, RequestRecord } from '../capture/types.js';
import { normalizeSql } from '../probe/queries/normalize-sql.js';
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

function sanitizeQuery(query: QueryRecord, keepParams: boolean): QueryRecord {
  // from the raw statement: mysql2's query() inlines the values, so normalizing first would equate them
  const out: QueryRecord = { ...query, sql: normalizeSql(query.sql), valuesKey: valuesKey(query.sql, query.params) };
  if (query.params) out.params = keepParams ? query.params : query.params.map(() => '?');
  return out;
}

/** A request record fit for a capture: SQL normalized, values redacted unless kept. */
export function sanitizeRecord(record: RequestRecord, keepParams: boolean): RequestRecord {
  return {
    ...record,
    url: keepParams ? record.url : redactUrl(record.url),
    queries: record.queries.map((query) => sanitizeQuery(query, keepParams)),
  };
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
