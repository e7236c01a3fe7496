/**
 * What a cold first run read that the warm run traced after it did not: the
 * statements of lines the warm run never reached (a per-process cache filled
 * on first use, a lazy load of settings). The diagnosis ranks the warm run,
 * the one every later request repeats; this says what the first request after
 * each start pays besides, and where, so a cache that takes minutes to fill
 * is not left at "a cold first run". Pure.
 */
import type { QueryRecord, RequestRecord } from '../capture/types.js';
import { formatCount, formatMs, plural } from '../diagnose/evidence.js';

/** Below both, the cold run's extra statements are a first run's ordinary warm-up (a schema read, a settings row). */
const MIN_STATEMENTS = 20;
const MIN_ROWS = 1_000;
/** Lines named in the note, the heaviest first. */
const NAMED_LINES = 3;

interface LineWork {
  place: string;
  statements: number;
  rows: number;
  ms: number;
}

/** The note on the cold run's own reads, or undefined when it read about what the warm run read. */
export function coldWorkNote(
  cold: RequestRecord,
  warm: RequestRecord,
  display: (file: string) => string = (file) => file,
): string | undefined {
  const warmLines = new Set(warm.queries.map(lineOf));
  const extra = new Map<string, LineWork>();
  for (const query of cold.queries) {
    const key = lineOf(query);
    if (warmLines.has(key) || !query.location) continue;
    const place = `${display(query.location.file)}:${query.location.line}`;
    const work = extra.get(key) ?? { place, statements: 0, rows: 0, ms: 0 };
    work.statements++;
    work.rows += query.rows ?? 0;
    work.ms += query.durationMs;
    extra.set(key, work);
  }
  const lines = [...extra.values()].sort((a, b) => b.ms - a.ms);
  const statements = lines.reduce((sum, line) => sum + line.statements, 0);
  const rows = lines.reduce((sum, line) => sum + line.rows, 0);
  if (statements < MIN_STATEMENTS && rows < MIN_ROWS) return undefined;
  const ms = lines.reduce((sum, line) => sum + line.ms, 0);
  const named = lines.slice(0, NAMED_LINES).map((line) => `${line.place} (${formatCount(line.statements)}×)`);
  const more = lines.length > NAMED_LINES ? ` and ${plural(lines.length - NAMED_LINES, 'other line')}` : '';
  return `the cold run also ran ${plural(statements, 'statement')} (${formatCount(rows)} rows, ${formatMs(ms)}) that the warm run did not, from ${named.join(', ')}${more}: work done once per process (a cache filled on first use), which the first request after every start waits for`;
}

const lineOf = (query: QueryRecord): string =>
  query.location ? `${query.location.file}:${query.location.line}` : `?:${query.sql}`;
