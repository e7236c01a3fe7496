/**
 * Whether two runs of a request did the same work: the same answer, the same
 * statements with the same rows in the same order, the same outbound calls.
 * The trace pass records what a request does, not how long it takes, so two
 * runs that agree here make a third one redundant whatever the load did to
 * their times; a run that filled a cache (its queries gone on the next run)
 * never agrees with the next. Pure.
 */
import type { RequestRecord } from '../capture/types.js';

type Work = Pick<RequestRecord, 'status' | 'error' | 'queries' | 'foldedQueries' | 'http' | 'redis'>;

/** The work of a run as one comparable string: never its times. */
function workOf(run: Work): string {
  // not the body's size: a date or a duration in it changes it, not the work
  const parts: string[] = [String(run.status), run.error ?? ''];
  for (const query of run.queries) parts.push(`q ${query.sql} ${query.rows ?? '-'}`);
  for (const folded of run.foldedQueries ?? []) parts.push(`f ${folded.sql} ${folded.count} ${folded.rows}`);
  parts.push(`http ${run.http?.length ?? 0}`, `redis ${run.redis?.length ?? 0}`);
  return parts.join('\n');
}

/** Whether runs `a` and `b` did the same work (see the module comment). */
export function sameWork(a: Work, b: Work): boolean {
  return workOf(a) === workOf(b);
}
