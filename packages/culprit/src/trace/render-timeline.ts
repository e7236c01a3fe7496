/**
 * `culprit trace --timeline`: a request's operations as an indented list on
 * its time axis, grouped by the app line that issued them (the waterfall in
 * text). Each row: offset, duration, a bar placing it in the request, kind,
 * label and detail. Pure: capture → text.
 */
import { relative } from 'node:path';
import type { Capture, RequestRecord, SourceLocation } from '../capture/types.js';
import { groupDigits } from '../group-digits.js';
import { groupByLine, timelineEntries, untimed } from '../timeline/operations.js';

const BAR = 24;

const ms = (n: number): string => (n >= 100 ? groupDigits(Math.round(n)) : n.toFixed(1));

function place(location: SourceLocation | undefined, cwd: string): string {
  if (!location) return '(no app frame)';
  const file = location.file.replace(/^file:\/\//, '');
  const shown = file.startsWith('/') ? relative(cwd, file) : file;
  return `${shown}:${location.line}${location.functionName ? ` (${location.functionName})` : ''}`;
}

/** A bar of BAR cells placing [start, start + duration] within the request's wall time. */
export function bar(startMs: number, durationMs: number, wallMs: number): string {
  const scale = BAR / Math.max(wallMs, startMs + durationMs, 1e-9);
  const from = Math.min(BAR - 1, Math.floor(startMs * scale));
  const to = Math.max(from + 1, Math.min(BAR, Math.ceil((startMs + durationMs) * scale)));
  return `|${' '.repeat(from)}${'█'.repeat(to - from)}${' '.repeat(BAR - to)}|`;
}

/** One request's timeline as lines. */
export function renderRequestTimeline(request: RequestRecord, cwd: string): string[] {
  const entries = timelineEntries(request);
  const lines = [`timeline of request #${request.id}: ${request.method} ${request.url} · ${ms(request.wallMs)} ms`];
  if (entries.length === 0) {
    lines.push('  nothing recorded on the time axis (no query, HTTP call, Redis command or blocking stretch)');
    return lines;
  }
  for (const group of groupByLine(entries)) {
    lines.push(`  ${group.line === '(blocking)' ? 'event loop' : place(group.location, cwd)}`);
    for (const entry of group.entries) {
      const label = entry.label.length > 80 ? `${entry.label.slice(0, 79)}…` : entry.label;
      lines.push(
        `    +${ms(entry.startMs).padStart(7)} ms ${ms(entry.durationMs).padStart(7)} ms ${bar(entry.startMs, entry.durationMs, request.wallMs)} ${entry.kind.padEnd(8)} ${label} · ${entry.detail}${entry.error ? ` · error: ${entry.error}` : ''}`,
      );
    }
  }
  const rest = untimed(request);
  if (rest > 0) lines.push(`  (${groupDigits(rest)} more operations counted without a place on the axis)`);
  return lines;
}

/** The timelines of a trace's requests (all of a few, else the slowest). */
export function renderTimelines(capture: Capture, cwd: string): string[] {
  const { requests } = capture;
  const chosen = requests.length <= 3 ? requests : [...requests].sort((a, b) => b.wallMs - a.wallMs).slice(0, 1);
  return chosen.flatMap((request) => [...renderRequestTimeline(request, cwd), '']);
}
