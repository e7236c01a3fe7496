/**
 * The statement whose handling a long synchronous stretch is, when no app frame is on the stack through it: an
 * ORM turning a statement's rows into entities runs from the driver's callback, and one preparing a save (its
 * cascades merged and compared) runs before the statements it then sends, both in its own code with none of the
 * app's frames. The statement whose result arrived as the stretch began (its completion opened it), else the
 * one sent as it ended (it prepared it), names the app's call of the ORM: the line to change. Pure.
 */
import type { QueryRecord, RequestRecord, SourceLocation } from '../../capture/types.js';

/** A statement sent this soon after the stretch ended was what the stretch prepared. */
const SENT_AFTER_MS = 5;

export interface StretchStatement {
  location: SourceLocation;
  /** The stretch followed the statement's result (its rows handled), or preceded its sending (prepared). */
  relation: 'handled' | 'prepared';
  sql: string;
}

export function stretchStatement(request: RequestRecord): StretchStatement | undefined {
  const stretch = [...(request.blocking ?? [])].sort((a, b) => b.durationMs - a.durationMs)[0];
  if (!stretch) return undefined;
  const located = request.queries.filter(
    (q): q is QueryRecord & { location: SourceLocation; startMs: number } =>
      q.location !== undefined && q.startMs !== undefined,
  );
  const end = stretch.startMs + stretch.durationMs;
  // a result processed in the stretch: sent before it began, its measured end inside it
  const handled = located
    .filter((q) => q.startMs <= stretch.startMs && q.startMs + q.durationMs >= stretch.startMs - 1)
    .at(-1);
  if (handled) return { location: handled.location, relation: 'handled', sql: handled.sql };
  const prepared = located.find((q) => q.startMs >= end - 1 && q.startMs - end <= SENT_AFTER_MS);
  return prepared ? { location: prepared.location, relation: 'prepared', sql: prepared.sql } : undefined;
}
