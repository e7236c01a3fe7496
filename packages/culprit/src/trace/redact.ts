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

/** The culprit command line for `tool.command`, with URL query values and header values redacted unless kept. */
export function redactCommandLine(args: readonly string[], keepParams: boolean): string {
  if (keepParams) return args.join(' ');
  return args
    .map((arg, i) => {
      const previous = args[i - 1];
      if ((previous === '-H' || previous === '--header') && arg.includes(':'))
        return `${arg.slice(0, arg.indexOf(':'))}: ?`;
      return arg.includes('?') ? redactUrl(arg) : arg;
    })
    .join(' ');
}
