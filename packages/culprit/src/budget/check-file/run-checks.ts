/**
 * Sends each request of a budgets file to a running target (after its
 * warm-up requests) and checks the probe's record against the budget.
 */
import type { RunningTarget } from '../../target/types.js';
import type { BudgetsFile } from './budgets-file.js';
import { type CheckReport, type CheckRow, checkRow } from './check-report.js';

export interface RunChecksOptions {
  signal?: AbortSignal;
  onRequest?: (row: CheckRow, done: number, total: number) => void;
}

export async function runChecks(
  target: RunningTarget,
  file: BudgetsFile,
  options: RunChecksOptions = {},
): Promise<CheckReport> {
  await target.probe.configureTrace({ queries: true, constructions: true, stacks: false });
  const rows: CheckRow[] = [];
  const send = options.signal ? { signal: options.signal } : {};
  for (const request of file.requests) {
    const shaped = {
      method: request.method,
      path: request.path,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
    };
    for (let i = 0; i < file.warmup; i++) await target.send(shaped, send);
    const row = checkRow(request, await target.send(shaped, send));
    rows.push(row);
    options.onRequest?.(row, rows.length, file.requests.length);
    if (options.signal?.aborted) break;
  }
  return {
    schema: 'culprit.check/1',
    passed: rows.every((r) => !r.error && r.violations.length === 0),
    requests: rows,
  };
}
