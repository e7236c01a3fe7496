/**
 * Turns a driver hook's raw query event into what the CLI receives: the
 * issuing application frame source-mapped, params made JSON-safe.
 */
import type { SourceLocation } from '../capture/types.js';
import { noteFault } from './faults.js';
import type { ProbeQuery } from './protocol.js';
import { isApplicationFrame, type RawFrame, type RawQueryEvent } from './request-context.js';
import { mapPosition } from './source-map.js';

function mapFrame(frame: RawFrame): SourceLocation | null {
  return mapPosition({
    url: frame.url,
    line: frame.line,
    column: frame.column,
    ...(frame.functionName ? { functionName: frame.functionName } : {}),
  });
}

/** A parameter value as JSON can carry it (Buffers, bigints and dates become strings). */
export function jsonSafe(value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
    return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return String(value); // cyclic or exotic: its string form is still informative
  }
}

/** Raw event → ProbeQuery, mapping the first application frame (and the whole stack when asked). */
export function toProbeQuery(event: RawQueryEvent, withStack: boolean): ProbeQuery {
  const query: ProbeQuery = {
    driver: event.driver,
    sql: event.sql,
    durationMs: event.durationMs,
    rows: event.rows,
  };
  try {
    if (event.params) query.params = event.params.map(jsonSafe);
    if (event.error) query.error = event.error;
    const appFrame = event.stack.find((frame) => isApplicationFrame(frame.url));
    const location = appFrame ? mapFrame(appFrame) : null;
    if (location) query.location = location;
    if (withStack) query.stack = event.stack.map(mapFrame).filter((l): l is SourceLocation => l !== null);
  } catch (error) {
    noteFault('toProbeQuery', error);
  }
  return query;
}
