/**
 * When a request's data is not the data of a successful request: it failed
 * (no answer, no record) or it answered >= 400. Commands refuse to report
 * such a run as a success (exit 1 with what is known: status, head of the
 * body) unless `--allow-errors`.
 */
import type { RequestRecord } from '../capture/types.js';
import { CulpritError } from '../errors/culprit-error.js';
import { redactText } from '../trace/redact-text.js';

/** How a request went wrong, in a few words, or undefined when it answered < 400 with its record. */
export function failureOf(record: Pick<RequestRecord, 'status' | 'error' | 'bodyHead'>): string | undefined {
  if (record.error !== undefined) {
    return record.status > 0 ? `answered ${record.status} but ${record.error}` : `failed: ${record.error}`;
  }
  if (record.status < 400) return undefined;
  // one line for a terminal or a CI log: never the secrets a body may carry (even under --keep-params)
  const head = redactText(record.bodyHead ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  // -d sends a form as curl does: a JSON API answers 415 until the request says its body is JSON
  const mediaType =
    record.status === 415
      ? ` (the body's content type was refused: for JSON add -H 'content-type: application/json')`
      : '';
  return `answered ${record.status}${head ? ` (body: ${head})` : ''}${mediaType}`;
}

/** The error to raise when any of `records` failed (named by its method and URL as recorded); undefined when all succeeded. */
export function requestsFailed(
  records: ReadonlyArray<Pick<RequestRecord, 'method' | 'url' | 'status' | 'error' | 'bodyHead'>>,
  what = 'fix the request or pass --allow-errors to report it anyway',
): CulpritError | undefined {
  const failed = records.filter((record) => failureOf(record) !== undefined);
  const first = failed[0];
  if (first === undefined) return undefined;
  const share = records.length > 1 ? ` (${failed.length} of ${records.length} requests)` : '';
  return new CulpritError(
    'CULPRIT_E_REQUEST_FAILED',
    `${first.method} ${first.url} ${failureOf(first)}${share}; ${what}`,
  );
}
