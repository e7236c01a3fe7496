/**
 * A probe's batch of counted requests (WatchRowsMessage: a route list and
 * rows of numbers, the cheap form of every request not in the sample) → the
 * route table's CountedRequest. Rows that do not hold together (a route index
 * the batch does not list, a figure that is not a number) are skipped and
 * counted, never guessed at. Pure.
 */
import { WATCH_ROW_FIELDS, type WatchRowsMessage } from '../probe/protocol.js';
import type { CountedRequest } from './route-table.js';

export interface DecodedRows {
  requests: CountedRequest[];
  /** Rows left out because they were malformed. */
  skipped: number;
}

const count = (value: number): number => (Number.isFinite(value) && value >= 0 ? value : 0);

/** `atSOf`: seconds since the watch started for a row's finish time (Unix ms). */
export function decodeCountedRows(batch: WatchRowsMessage, atSOf: (endUnixMs: number) => number): DecodedRows {
  const requests: CountedRequest[] = [];
  let skipped = 0;
  const { rows, routes } = batch;
  for (let at = 0; at + WATCH_ROW_FIELDS <= rows.length; at += WATCH_ROW_FIELDS) {
    const [index, status, wallMs, cpuMs, queries, found, httpCalls, endUnixMs] = rows.slice(at, at + WATCH_ROW_FIELDS);
    const route = routes[index ?? -1];
    if (!route || typeof status !== 'number' || typeof wallMs !== 'number' || !Number.isFinite(wallMs)) {
      skipped++;
      continue;
    }
    const [method, path, from] = route;
    requests.push({
      method,
      route: path,
      from,
      status,
      wallMs: Math.max(0, wallMs),
      cpuMs: count(cpuMs ?? 0),
      queries: count(queries ?? 0),
      rows: count(found ?? 0),
      httpCalls: count(httpCalls ?? 0),
      atS: Math.max(0, atSOf(endUnixMs ?? 0)),
    });
  }
  if (rows.length % WATCH_ROW_FIELDS !== 0) skipped++;
  return { requests, skipped };
}
