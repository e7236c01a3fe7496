/**
 * One request's figures against its budget, and the table `culprit check`
 * prints: one row per request, each figure beside its limit, a mark on the
 * broken ones, then the details (line and statement) of each breach. Pure.
 */
import { queryTotals } from '../../capture/query-totals.js';
import type { RequestRecord } from '../../capture/types.js';
import { groupDigits } from '../../group-digits.js';
import { normalizeSql } from '../../probe/queries/normalize-sql.js';
import {
  type Budget,
  type BudgetViolation,
  checkBudget,
  describeViolations,
  type Measured,
  repeatedQueries,
} from '../check-budget.js';

export interface CheckFigures {
  queries: number;
  /** Most runs of one statement shape from one line. */
  maxRepeat: number;
  rows: number;
  items?: number;
  rowsPerItem: number;
  constructions: number;
  httpCalls: number;
  /** Redis round trips. */
  redisCalls: number;
  wallMs: number;
  blockingMs: number;
}

export interface CheckRow {
  name: string;
  method: string;
  path: string;
  status: number;
  figures: CheckFigures;
  budget: Budget;
  violations: BudgetViolation[];
  /** Why the request itself failed (an error or a status >= 400): a failed check too. */
  error?: string;
  /** The breach details, as a test failure would print them. */
  details?: string;
}

export interface CheckReport {
  schema: 'culprit.check/1';
  passed: boolean;
  requests: CheckRow[];
}

/** A child-process request record as budgets read it (SQL as sent → shapes, so repeats group). */
export function recordAsMeasured(record: RequestRecord): Measured {
  const shapes = new Map<string, string>();
  const shape = (sql: string) => {
    let normalized = shapes.get(sql);
    if (normalized === undefined) {
      normalized = normalizeSql(sql);
      shapes.set(sql, normalized);
    }
    return normalized;
  };
  return {
    queries: record.queries.map((query) => ({ ...query, sql: shape(query.sql) })),
    ...(record.foldedQueries ? { foldedQueries: record.foldedQueries } : {}),
    constructions: record.constructions,
    wallMs: record.wallMs,
    ...(record.items === undefined ? {} : { items: record.items }),
    blockingMs: record.blockingMs,
    httpCalls: (record.http ?? []).map((call) => ({
      method: call.method,
      host: call.origin.replace(/^[a-z]+:\/\//i, ''),
      path: call.path,
      ...(call.location ? { location: call.location } : {}),
    })),
    redisCalls: (record.redis ?? []).map((call) => ({
      command: call.command,
      commands: call.commands,
      ...(call.key === undefined ? {} : { key: call.key }),
      ...(call.location ? { location: call.location } : {}),
    })),
  };
}

export function figuresOf(measured: Measured): CheckFigures {
  const totals = queryTotals(measured);
  return {
    queries: totals.count,
    maxRepeat: repeatedQueries(measured)[0]?.count ?? 0,
    rows: totals.rows,
    ...(measured.items === undefined ? {} : { items: measured.items }),
    rowsPerItem: Math.round((totals.rows / Math.max(1, measured.items ?? 1)) * 10) / 10,
    constructions: measured.constructions.reduce((sum, c) => sum + c.count, 0),
    httpCalls: measured.httpCalls?.length ?? 0,
    redisCalls: measured.redisCalls?.length ?? 0,
    wallMs: Math.round(measured.wallMs * 10) / 10,
    blockingMs: Math.round((measured.blockingMs ?? 0) * 10) / 10,
  };
}

/** A checked request: its figures, broken limits and the message a test would print. */
export function checkRow(
  request: { name: string; method: string; path: string; budget: Budget },
  record: RequestRecord,
): CheckRow {
  const measured = recordAsMeasured(record);
  const violations = checkBudget(measured, request.budget);
  const row: CheckRow = {
    name: request.name,
    method: request.method,
    path: request.path,
    status: record.status,
    figures: figuresOf(measured),
    budget: request.budget,
    violations,
  };
  if (record.error !== undefined) row.error = record.error;
  else if (record.status >= 400) row.error = `answered ${record.status}`;
  if (violations.length) row.details = describeViolations(measured, violations, request.name);
  return row;
}

type Column = {
  title: string;
  figure: (f: CheckFigures) => number;
  limit: (b: Budget) => number | undefined;
  breach: (v: BudgetViolation) => boolean;
};

const COLUMNS: Column[] = [
  { title: 'queries', figure: (f) => f.queries, limit: (b) => b.queries, breach: (v) => v.limit === 'queries' },
  {
    title: 'repeat',
    figure: (f) => f.maxRepeat,
    limit: (b) => b.repeatedQueries,
    breach: (v) => v.limit === 'repeated query',
  },
  { title: 'rows', figure: (f) => f.rows, limit: (b) => b.rows, breach: (v) => v.limit === 'rows' },
  {
    title: 'rows/item',
    figure: (f) => f.rowsPerItem,
    limit: (b) => b.maxRowsPerItem,
    breach: (v) => v.limit.startsWith('rows per item'),
  },
  {
    title: 'built',
    figure: (f) => f.constructions,
    limit: (b) => (typeof b.constructions === 'number' ? b.constructions : undefined),
    breach: (v) => v.limit.includes('constructions'),
  },
  { title: 'http', figure: (f) => f.httpCalls, limit: (b) => b.httpCalls, breach: (v) => v.limit.includes('HTTP') },
  {
    title: 'redis',
    figure: (f) => f.redisCalls,
    limit: (b) => b.redisCalls,
    breach: (v) => v.limit.includes('Redis'),
  },
  { title: 'ms', figure: (f) => f.wallMs, limit: (b) => b.wallMs, breach: (v) => v.limit.startsWith('wall') },
];

function cell(row: CheckRow, column: Column): string {
  const figure = groupDigits(column.figure(row.figures));
  const limit = column.limit(row.budget);
  const broken = row.violations.some(column.breach);
  return `${figure}${limit === undefined ? '' : `/${groupDigits(limit)}`}${broken ? ' ✗' : ''}`;
}

/** The table: one row per request (figure/limit, ✗ where broken), then each breach's details (paths from `cwd`). */
export function renderCheck(report: CheckReport, cwd?: string): string {
  const relative = (text: string) => (cwd ? text.split(`${cwd.replace(/\/$/, '')}/`).join('') : text);
  const header = ['request', 'status', ...COLUMNS.map((c) => c.title), 'result'];
  const body = report.requests.map((row) => [
    row.name,
    String(row.status || '-'),
    ...COLUMNS.map((c) => cell(row, c)),
    row.error ? 'FAILED' : row.violations.length ? 'OVER' : 'ok',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...body.map(line)];
  for (const row of report.requests) {
    if (row.error) out.push('', `${row.name}: the request failed (${row.error})`);
    if (row.details) out.push('', relative(row.details));
  }
  const over = report.requests.filter((r) => r.violations.length || r.error).length;
  out.push(
    '',
    over
      ? `${over} of ${report.requests.length} requests over budget or failed`
      : `all ${report.requests.length} requests within budget`,
  );
  return `${out.join('\n')}\n`;
}
