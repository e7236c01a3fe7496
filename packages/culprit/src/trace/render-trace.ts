/**
 * The terminal report of `culprit trace`: a table with one row per request,
 * then, for the requests worth reading (all when there are few, else the
 * slowest), its top constructions and top query sites. Pure: capture → text.
 */

import { relative } from 'node:path';
import { partialNotes } from '../capture/partial.js';
import { queryTotals } from '../capture/query-totals.js';
import type { Capture, RequestRecord, SourceLocation } from '../capture/types.js';
import { describeRemotes, unseenIoOf } from '../diagnose/facts/unseen-io.js';
import { groupDigits } from '../group-digits.js';
import { querySites } from './query-sites.js';
import { renderBreakpoints } from './render-breakpoints.js';
import { renderTimelines } from './render-timeline.js';

export interface RenderOptions {
  /** Paths are shown relative to this directory. */
  cwd: string;
  /** Rows per detail list. */
  top?: number;
  /** Add each detailed request's timeline (`--timeline`). */
  timeline?: boolean;
}

const DETAIL_ALL_UP_TO = 3;

const int = (n: number): string => groupDigits(Math.round(n));
const ms = (n: number): string => (n >= 100 ? int(n) : n.toFixed(1));

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function where(location: SourceLocation | undefined, cwd: string): string {
  if (!location) return '(unknown)';
  const file = location.file.startsWith('/') ? relative(cwd, location.file) : location.file;
  return `${file}:${location.line}`;
}

function table(rows: string[][], rightAligned: Set<number>): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, col) => (rightAligned.has(col) ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function summaryRows(requests: RequestRecord[]): string[] {
  const header = ['#', 'request', 'status', 'time ms', 'cpu ms', 'block ms', 'size', 'items', 'queries', 'rows'];
  const rows = requests.map((r) => {
    const queries = queryTotals(r);
    return [
      String(r.id),
      `${r.method} ${r.url}`,
      r.error ? 'error' : String(r.status),
      ms(r.wallMs),
      ms(r.cpuMs),
      r.blockingMs === undefined ? '' : ms(r.blockingMs),
      bytes(r.bytes),
      r.items === undefined ? '' : int(r.items),
      int(queries.count),
      int(queries.rows),
    ];
  });
  return table([header, ...rows], new Set([0, 3, 4, 5, 6, 7, 8, 9]));
}

function details(request: RequestRecord, options: RenderOptions): string[] {
  const top = options.top ?? 5;
  const lines = [`request #${request.id}: ${request.method} ${request.url}`];
  if (request.error) lines.push(`  error: ${request.error}`);
  if (request.bodyHead)
    lines.push(`  answered ${request.status}: ${request.bodyHead.replace(/\s+/g, ' ').trim().slice(0, 160)}`);
  const unseen = unseenIoOf(request);
  if (unseen) {
    const clients = unseen.clients.length ? `; database-like packages loaded: ${unseen.clients.join(', ')}` : '';
    lines.push(`  not recorded: wrote to ${describeRemotes(unseen.remotes)}, and no query was recorded${clients}`);
  }
  const constructions = request.constructions.slice(0, top);
  if (constructions.length) {
    lines.push('  top constructions');
    const rows = constructions.map((c) => [`    ${c.className}`, int(c.count), where(c.location, options.cwd)]);
    lines.push(...table(rows, new Set([1])));
  }
  const sites = querySites(request).slice(0, top);
  if (sites.length) {
    const { folded, count } = queryTotals(request);
    lines.push(
      folded
        ? `  top query sites (${int(count - folded)} queries kept one by one, ${int(folded)} more counted by statement and line)`
        : '  top query sites',
    );
    const rows = sites.map((site) => [
      `    ${where(site.location, options.cwd)}`,
      `${int(site.queries)}×`,
      `${int(site.rows)} rows`,
      `${ms(site.durationMs)} ms`,
      site.sql.length > 70 ? `${site.sql.slice(0, 69)}…` : site.sql,
    ]);
    lines.push(...table(rows, new Set([1, 2, 3])));
  }
  return lines;
}

/** Text report of a trace capture. */
export function renderTrace(capture: Capture, options: RenderOptions): string {
  const { requests } = capture;
  const lines: string[] = [];
  const target = capture.target;
  const from =
    target.mode === 'module'
      ? `${target.module} (${target.framework}, in-process)`
      : `${target.command?.join(' ')} at ${target.baseUrl}`;
  lines.push(`culprit trace: ${from}`, '');
  // a partial capture says so first: its rows are not the whole story
  const partial = partialNotes(capture);
  if (partial.length) lines.push(...partial, '');
  lines.push(...summaryRows(requests), '');
  const chosen =
    requests.length <= DETAIL_ALL_UP_TO ? requests : [...requests].sort((a, b) => b.wallMs - a.wallMs).slice(0, 1);
  for (const request of chosen) {
    const text = details(request, options);
    if (text.length < 2) continue; // a heading alone says nothing
    if (requests.length > DETAIL_ALL_UP_TO) lines.push(`details of the slowest request (#${request.id}):`);
    lines.push(...text, '');
  }
  if (options.timeline) lines.push(...renderTimelines(capture, options.cwd));
  lines.push(...renderBreakpoints(capture, options.cwd));
  for (const note of capture.notes ?? []) if (!partial.includes(note)) lines.push(`note: ${note}`);
  return `${lines.join('\n').trimEnd()}\n`;
}
