/**
 * Turns a driver hook's raw query events into what the CLI receives: the
 * issuing application frame source-mapped, params made JSON-safe, folds
 * mapped and merged per original line.
 */
import type { FoldedQueries, SourceLocation } from '../capture/types.js';
import { noteFault } from './faults.js';
import type { ProbeQuery, QueryTables } from './protocol.js';
import { addRead } from './queries/rows-read.js';
import type { Fold } from './query-fold.js';
import { appFrameOf, type RawFrame, type RawQueryEvent } from './request-context.js';
import { mapPosition } from './source-map.js';

/**
 * Maps frames once per record: the queries of a loop share their frames, so
 * each distinct frame is looked up (and allocated) once, and stacks share
 * their locations instead of repeating them thousands of times.
 */
export class FrameMapper {
  private readonly mapped = new Map<string, SourceLocation | null>();
  /** Hooks hand out one frame object per position (frame-source.ts): most lookups end here, with no key built. */
  private readonly byFrame = new Map<RawFrame, SourceLocation | null>();

  map(frame: RawFrame): SourceLocation | null {
    const known = this.byFrame.get(frame);
    if (known !== undefined) return known;
    const location = this.mapByPosition(frame);
    this.byFrame.set(frame, location);
    return location;
  }

  private mapByPosition(frame: RawFrame): SourceLocation | null {
    const key = `${frame.url}:${frame.line}:${frame.column}:${frame.functionName ?? ''}:${frame.async ? 'a' : ''}`;
    let location = this.mapped.get(key);
    if (location === undefined) {
      location = mapPosition({
        url: frame.url,
        line: frame.line,
        column: frame.column,
        ...(frame.functionName ? { functionName: frame.functionName } : {}),
      });
      // diagnose finds a loop's function as the frame that resumes after each await
      if (location && frame.async) location.async = true;
      this.mapped.set(key, location);
    }
    return location;
  }

  stack(frames: readonly RawFrame[]): SourceLocation[] {
    const out: SourceLocation[] = [];
    for (const frame of frames) {
      const location = this.map(frame);
      if (location) out.push(location);
    }
    return out;
  }
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

/**
 * Builds a record's QueryTables: each distinct statement text, mapped frame
 * and stack gets one index. Frames are matched by identity (FrameMapper
 * hands out one object per position), statements by text.
 */
export class QueryTableBuilder {
  readonly tables: QueryTables = { statements: [], locations: [], stacks: [] };
  private readonly statementIds = new Map<string, number>();
  private readonly locationIds = new Map<SourceLocation, number>();
  private readonly stackIds = new Map<string, number>();

  statement(sql: string): number {
    let id = this.statementIds.get(sql);
    if (id === undefined) {
      id = this.tables.statements.push(sql) - 1;
      this.statementIds.set(sql, id);
    }
    return id;
  }

  location(location: SourceLocation): number {
    let id = this.locationIds.get(location);
    if (id === undefined) {
      id = this.tables.locations.push(location) - 1;
      this.locationIds.set(location, id);
    }
    return id;
  }

  stack(locations: readonly SourceLocation[]): number {
    const ids = locations.map((location) => this.location(location));
    const key = ids.join(',');
    let id = this.stackIds.get(key);
    if (id === undefined) {
      id = this.tables.stacks.push(ids) - 1;
      this.stackIds.set(key, id);
    }
    return id;
  }
}

/** Raw event → ProbeQuery, mapping the first application frame (and the whole stack when asked) into `tables`. */
export function toProbeQuery(
  event: RawQueryEvent,
  withStack: boolean,
  frames: FrameMapper,
  tables: QueryTableBuilder,
  origin?: number,
): ProbeQuery {
  const query: ProbeQuery = {
    driver: event.driver,
    sqlId: tables.statement(event.sql),
    durationMs: event.durationMs,
    rows: event.rows,
  };
  // offsets on the request's time axis; a query issued before the request began (a pool warm-up) starts at 0
  if (event.read) query.read = event.read;
  if (origin !== undefined && event.startedAt !== undefined) query.startMs = Math.max(0, event.startedAt - origin);
  try {
    if (event.params) query.params = event.params.map(jsonSafe);
    if (event.error) query.error = event.error;
    const appFrame = appFrameOf(event);
    const location = appFrame ? frames.map(appFrame) : null;
    if (location) query.locationId = tables.location(location);
    const built = event.builtAt?.();
    const builtAt = built ? frames.map(built) : null;
    if (builtAt) query.builtAtId = tables.location(builtAt);
    if (withStack) query.stackId = tables.stack(frames.stack(event.stack));
  } catch (error) {
    noteFault('toProbeQuery', error);
  }
  return query;
}

/**
 * Folds → capture records. Folds were keyed by generated position; several
 * columns of one original line (or one line reached through two bundles)
 * merge here, as the capture promises one fold per shape and line.
 */
export function toFoldedQueries(
  folds: Iterable<Fold>,
  withStack: boolean,
  frames = new FrameMapper(),
): FoldedQueries[] {
  const merged = new Map<string, FoldedQueries>();
  for (const fold of folds) {
    try {
      const location = fold.frame ? frames.map(fold.frame) : null;
      const key = `${fold.driver}\0${fold.sql}\0${location ? `${location.file}:${location.line}` : ''}`;
      const into = merged.get(key);
      if (into) {
        into.count += fold.count;
        into.rows += fold.rows;
        into.durationMs += fold.durationMs;
        into.errors += fold.errors;
        const read = addRead(into.read, fold.read);
        if (read) into.read = read;
        continue;
      }
      const out: FoldedQueries = {
        driver: fold.driver,
        sql: fold.sql,
        count: fold.count,
        rows: fold.rows,
        durationMs: fold.durationMs,
        errors: fold.errors,
      };
      if (fold.read) out.read = { ...fold.read };
      if (location) out.location = location;
      if (withStack && fold.stack) out.stack = frames.stack(fold.stack);
      merged.set(key, out);
    } catch (error) {
      noteFault('toFoldedQueries', error);
    }
  }
  return [...merged.values()];
}
