/**
 * One request's operations on one time axis: queries, HTTP calls, Redis
 * round trips and blocking stretches as entries with a start, a duration, a
 * label and the app line that issued them. The waterfall (viewer) and
 * `culprit trace --timeline` both draw these. Pure (the viewer imports it).
 */
import type { RequestRecord, SourceLocation } from '../capture/types.js';
import { compareNames } from '../compare-names.js';
import { groupDigits } from '../group-digits.js';

export type TimelineKind = 'sql' | 'http' | 'redis' | 'blocking';

export interface TimelineEntry {
  kind: TimelineKind;
  /** Milliseconds from the request's start. */
  startMs: number;
  durationMs: number;
  /** The statement, `GET http://host/users/:id`, `GET user:?`, or `event loop blocked`. */
  label: string;
  /** Short facts after the label: rows, status and bytes, commands, an error. */
  detail: string;
  location?: SourceLocation;
  stack?: SourceLocation[];
  error?: string;
}

const count = (n: number, noun: string) => `${groupDigits(n)} ${noun}${n === 1 ? '' : 's'}`;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function withPlace<T extends TimelineEntry>(
  entry: T,
  record: { location?: SourceLocation; stack?: SourceLocation[]; error?: string },
): T {
  if (record.location) entry.location = record.location;
  if (record.stack) entry.stack = record.stack;
  if (record.error !== undefined) entry.error = record.error;
  return entry;
}

/** Every timed operation of a request, in start order (queries without a start are left out: see `untimed`). */
export function timelineEntries(request: RequestRecord): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const query of request.queries) {
    if (query.startMs === undefined) continue;
    const rows = query.rows === null ? '' : count(query.rows, 'row');
    entries.push(
      withPlace(
        {
          kind: 'sql',
          startMs: query.startMs,
          durationMs: query.durationMs,
          label: query.sql,
          detail: `${query.driver}${rows ? `, ${rows}` : ''}`,
        },
        query,
      ),
    );
  }
  for (const call of request.http ?? []) {
    const parts = [call.status === undefined ? 'no response' : String(call.status)];
    if (call.bytes !== undefined) parts.push(bytes(call.bytes));
    entries.push(
      withPlace(
        {
          kind: 'http',
          startMs: call.startMs,
          durationMs: call.durationMs,
          label: `${call.method} ${call.origin}${call.path}`,
          detail: `${call.client}, ${parts.join(', ')}`,
        },
        call,
      ),
    );
  }
  for (const call of request.redis ?? []) {
    const label = call.key === undefined ? call.command : `${call.command} ${call.key}`;
    const parts: string[] = [call.client];
    if (call.commands > 1)
      parts.push(`${count(call.commands, 'command')} in one round trip${call.batch ? ` (${call.batch})` : ''}`);
    if (call.replyBytes !== undefined) parts.push(`reply ${bytes(call.replyBytes)}`);
    entries.push(
      withPlace(
        { kind: 'redis', startMs: call.startMs, durationMs: call.durationMs, label, detail: parts.join(', ') },
        call,
      ),
    );
  }
  for (const stretch of request.blocking ?? []) {
    entries.push({
      kind: 'blocking',
      startMs: stretch.startMs,
      durationMs: stretch.durationMs,
      label: 'event loop blocked',
      detail: 'synchronous work: nothing else ran',
    });
  }
  return entries.sort((a, b) => a.startMs - b.startMs || compareNames(a.kind, b.kind));
}

/** Operations of the request that have no place on the axis: folded queries, queries of drivers without a start, dropped ones. */
export function untimed(request: RequestRecord): number {
  const folded = (request.foldedQueries ?? []).reduce((sum, group) => sum + group.count, 0);
  const unplaced = request.queries.filter((query) => query.startMs === undefined).length;
  return folded + unplaced + (request.droppedOperations ?? 0);
}

/** `file:line` of an entry's app line, the waterfall's group. */
export function lineOf(entry: TimelineEntry): string {
  return entry.location ? `${entry.location.file}:${entry.location.line}` : '';
}

/**
 * Entries grouped by the app line that issued them, groups in the order of
 * their first entry: a loop's 20 calls read as one group under its line.
 */
export function groupByLine(
  entries: readonly TimelineEntry[],
): Array<{ line: string; location?: SourceLocation; entries: TimelineEntry[] }> {
  const groups = new Map<string, { line: string; location?: SourceLocation; entries: TimelineEntry[] }>();
  for (const entry of entries) {
    const key = entry.kind === 'blocking' ? '(blocking)' : lineOf(entry);
    let group = groups.get(key);
    if (!group) {
      group = { line: key, entries: [], ...(entry.location ? { location: entry.location } : {}) };
      groups.set(key, group);
    }
    group.entries.push(entry);
  }
  return [...groups.values()];
}
