/**
 * The route table as text: the live view (redrawn like `top`, no findings
 * yet) and the final report (each route with its top finding and the
 * `culprit diagnose` command for its slowest request). Pure.
 */
import type { RouteStats, SourceLocation, WatchSummary } from '../capture/types.js';
import { escapeControls } from '../cli/terminal-text.js';
import { groupDigits } from '../group-digits.js';
import type { LiveRow } from './route-table.js';

const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)}s` : v >= 10 ? v.toFixed(0) : v.toFixed(1));
const count = (v: number): string => groupDigits(v);

function padOrClip(text: string, width: number): string {
  const clean = escapeControls(text);
  return clean.length <= width ? clean.padEnd(width) : `${clean.slice(0, width - 1)}…`;
}

const HEAD = ['count', 'err', 'p50', 'p95', 'p99', 'total', 'cpu', 'queries', 'rows', 'http'];
const WIDTHS = [7, 5, 7, 7, 7, 8, 7, 8, 9, 6];

function cells(row: LiveRow): string[] {
  return [
    count(row.count),
    count(row.errors),
    ms(row.p50),
    ms(row.p95),
    ms(row.p99),
    ms(row.totalMs),
    ms(row.cpuMs),
    count(row.queries),
    count(row.rows),
    count(row.httpCalls),
  ];
}

function tableLines(rows: LiveRow[], width: number): string[] {
  const numbers = WIDTHS.reduce((a, b) => a + b + 1, 0);
  const routeWidth = Math.max(16, width - numbers - 4);
  const head = `${'#'.padStart(3)} ${padOrClip('route', routeWidth)}${HEAD.map((h, i) => h.padStart((WIDTHS[i] ?? 6) + 1)).join('')}`;
  return [
    head,
    ...rows.map((row, i) => {
      const figures = cells(row)
        .map((c, j) => c.padStart((WIDTHS[j] ?? 6) + 1))
        .join('');
      return `${String(i + 1).padStart(3)} ${padOrClip(`${row.method} ${row.route}`, routeWidth)}${figures}`;
    }),
  ];
}

/** The live view: a header line and the ranked rows that fit the terminal. */
export function renderLive(
  rows: LiveRow[],
  status: { elapsedS: number; requests: number; listening: string },
  size: { columns: number; rows: number },
): string {
  const rate = status.elapsedS > 0 ? status.requests / status.elapsedS : 0;
  const header = `culprit watch · ${escapeControls(status.listening)} · ${count(status.requests)} requests in ${status.elapsedS.toFixed(0)} s (${rate.toFixed(1)}/s) · ${rows.length} routes · Ctrl-C stops`;
  const shown = rows.slice(0, Math.max(1, size.rows - 4));
  const lines = [header, '', ...tableLines(shown, size.columns)];
  if (shown.length < rows.length) lines.push(`    … ${rows.length - shown.length} more routes`);
  if (rows.length === 0)
    lines.push('    waiting for requests (open the app in a browser, run its tests, culprit bench or culprit replay)');
  return `${lines.map((line) => line.slice(0, size.columns)).join('\n')}\n`;
}

function where(location: SourceLocation | undefined, cwd: string | undefined): string {
  if (!location) return '';
  const file = cwd && location.file.startsWith(`${cwd}/`) ? location.file.slice(cwd.length + 1) : location.file;
  return ` (${file}:${location.line})`;
}

function asLive(route: RouteStats): LiveRow {
  return {
    method: route.method,
    route: route.route,
    count: route.count,
    errors: route.errors,
    totalMs: route.totalMs,
    p50: route.latencyMs.p50,
    p95: route.latencyMs.p95,
    p99: route.latencyMs.p99,
    cpuMs: route.cpuMs,
    queries: route.queries,
    rows: route.rows,
    httpCalls: route.httpCalls,
  };
}

/** The final report: the ranked table, then per route its finding and the diagnose command. */
export function renderWatch(summary: WatchSummary, options: { cwd?: string; columns?: number } = {}): string {
  const lines = [
    `culprit watch: ${count(summary.requests)} requests in ${summary.durationS.toFixed(1)} s, ${summary.routes.length} routes, ranked by total time (ms)`,
    '',
    ...tableLines(summary.routes.map(asLive), options.columns ?? 120),
    '',
  ];
  if (summary.routes.length === 0) lines.push('No requests reached the server while culprit watched.', '');
  summary.routes.forEach((route, i) => {
    lines.push(`${String(i + 1).padStart(3)} ${escapeControls(`${route.method} ${route.route}`)}`);
    if (route.finding) {
      const saves = route.finding.savesMs === undefined ? '' : `, saves ~${ms(route.finding.savesMs)} ms per request`;
      // titles usually name their line already; otherwise the line goes after it
      const line = route.finding.location ? `:${route.finding.location.line}` : '';
      const place = line && route.finding.title.includes(line) ? '' : where(route.finding.location, options.cwd);
      lines.push(`    ${route.finding.severity}: ${escapeControls(route.finding.title)}${place}${saves}`);
      // the finding comes from the requests recorded in full, not from every request counted
      if (route.detailed !== undefined && route.detailed < route.count)
        lines.push(
          `    (sampled: from the ${count(route.detailed)} of ${count(route.count)} requests recorded in full)`,
        );
    }
    if (route.example.diagnose) lines.push(`    ${escapeControls(route.example.diagnose)}`);
  });
  return `${lines.join('\n')}\n`;
}
