/** The outcome of a replay as a few lines of text. Pure. */

import { groupDigits } from '../group-digits.js';
import type { ReplayOutcome } from './run-replay.js';

export interface ReplayReport extends ReplayOutcome {
  file: string;
  format: string;
  target: string;
  entries: number;
  unreadable: number;
  skippedUnsafe: Record<string, number>;
}

const n = (v: number): string => groupDigits(v);
const counts = (record: Record<string, number>): string =>
  Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${n(v)}`)
    .join(', ');

export function renderReplay(report: ReplayReport): string {
  const rate = report.durationS > 0 ? report.sent / report.durationS : 0;
  const lines = [
    `culprit replay: ${n(report.sent)} of ${n(report.entries)} requests (${report.format}) sent to ${report.target} in ${report.durationS.toFixed(1)} s (${rate.toFixed(1)}/s)`,
    `  responses: ${counts(report.statuses) || 'none'}`,
  ];
  if (Object.keys(report.errors).length) lines.push(`  no response: ${counts(report.errors)}`);
  const skipped = Object.values(report.skippedUnsafe).reduce((a, b) => a + b, 0);
  if (skipped)
    lines.push(
      `  skipped ${n(skipped)} unsafe requests (${counts(report.skippedUnsafe)}); --include-unsafe sends them`,
    );
  if (report.unreadable) lines.push(`  ${n(report.unreadable)} lines or entries of the file could not be read`);
  if (report.late)
    lines.push(`  ${n(report.late)} requests left late (all -c connections were busy or the machine was)`);
  return `${lines.join('\n')}\n`;
}
