/**
 * What the capture's notes say about each `--log` / `--when` spec: what its
 * breakpoint hits cost, and every way it can come back empty-handed that the
 * user would otherwise never learn of (a condition that threw on every hit,
 * one that never held, a line never reached). Pure.
 */
import type { StackCapture } from '../capture/types.js';
import { groupDigits } from '../group-digits.js';
import type { BreakpointSummary } from '../probe/protocol.js';
import type { BreakpointSpec } from './log-spec.js';

const int = (n: number): string => groupDigits(n);

/** "'X': 20,001 breakpoint hits, about 3.6 s of overhead in the timings". */
function costNote(summary: BreakpointSummary): string {
  const cost =
    summary.overheadMs >= 1000 ? `${(summary.overheadMs / 1000).toFixed(1)} s` : `${Math.round(summary.overheadMs)} ms`;
  return `'${summary.spec}': ${int(summary.hits)} breakpoint hits, about ${cost} of overhead in the timings`;
}

/**
 * A local the TypeScript source names may not exist under that name in the
 * JavaScript V8 runs: esbuild (tsx) renames shadowed locals (`where` →
 * `where2`), tsc may too. Said when the error is a ReferenceError.
 */
function renameHint(error: string): string {
  return /^ReferenceError: /.test(error)
    ? '; compiled code may name a local differently (esbuild renames shadowed ones: where → where2)'
    : '';
}

function errorNote(spec: BreakpointSpec, summary: BreakpointSummary): string | undefined {
  const errors = summary.errors ?? 0;
  if (errors === 0) return undefined;
  const first = summary.firstError ?? 'an error';
  const what = spec.kind === 'when' ? 'the condition' : 'an expression';
  const consequence = spec.kind === 'when' && errors === summary.hits ? ', so it never held' : '';
  return `'${spec.text}': ${what} threw on ${int(errors)} of ${int(summary.hits)} hits (${first})${consequence}${renameHint(first)}`;
}

/** Notes for the specs of one run, in spec order. */
export function breakpointNotes(
  specs: readonly BreakpointSpec[],
  summaries: readonly BreakpointSummary[],
  stops: readonly StackCapture[],
): string[] {
  const notes: string[] = [];
  for (const summary of summaries) {
    const spec = specs.find((candidate) => candidate.text === summary.spec);
    notes.push(costNote(summary));
    if (!spec) continue;
    if (summary.hits === 0) {
      notes.push(`'${spec.text}': never reached during the requests (no breakpoint hit)`);
      continue;
    }
    const error = errorNote(spec, summary);
    if (error) notes.push(error);
    const matched = stops.some((stop) => stop.spec === spec.text);
    if (spec.kind === 'when' && !matched && (summary.errors ?? 0) < summary.hits) {
      notes.push(`'${spec.text}': the condition never held in ${int(summary.hits)} hits`);
    }
  }
  return notes;
}
