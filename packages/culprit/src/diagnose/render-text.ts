import type { DiagnosisTotals, Finding } from '../capture/types.js';
import { formatBytes, formatCount, formatMs, plural } from './evidence.js';

const marks = { critical: '✖', warning: '▲', info: '•' } as const;

/** Evidence values (SQL above all) are cut so a finding stays readable; --json has them whole. */
export const EVIDENCE_WIDTH = 160;

function shorten(value: string): string {
  return value.length > EVIDENCE_WIDTH ? `${value.slice(0, EVIDENCE_WIDTH - 1)}…` : value;
}

/** `GET /x · 245 ms (CPU 230 ms) · 3 queries, 30,001 rows · 1 item · 2 KB · the findings explain 96%`. */
export function renderTotalsLine(totals: DiagnosisTotals): string {
  const items = `${plural(totals.items, 'item')}${totals.itemsPath ? ` in "${totals.itemsPath}"` : ''}`;
  return [
    `${totals.endpoint} → ${totals.status}`,
    `${formatMs(totals.wallMs)} (CPU ${formatMs(totals.cpuMs)}, median of ${totals.runs})`,
    `${formatCount(totals.queries)} ${totals.queries === 1 ? 'query' : 'queries'}, ${plural(totals.rows, 'row')}`,
    items,
    formatBytes(totals.bytes),
    `the findings explain ${formatCount(totals.explainedShare * 100)}% of its time`,
  ].join(' · ');
}

/** The findings as terminal text: the totals, then one sentence each, its evidence, and the code at its location. */
export function renderFindingsText(findings: Finding[], cwd?: string, totals: readonly DiagnosisTotals[] = []): string {
  const head = totals.map((t) => `${renderTotalsLine(t)}\n`).join('');
  const relative = (text: string): string => (cwd ? text.split(`${cwd}/`).join('') : text);
  if (findings.length === 0)
    return `${head}${head ? '\n' : ''}No findings: nothing in this capture crosses a rule threshold.\n`;
  const blocks = findings.map((finding, index) => {
    const lines = [`${index + 1}. ${marks[finding.severity]} [${finding.severity}] ${relative(finding.title)}`];
    if (!finding.location && finding.noAppLine) lines.push(`     no app line: ${relative(finding.noAppLine)}`);
    for (const item of finding.evidence) lines.push(`     ${item.label}: ${relative(shorten(item.value))}`);
    if (finding.snippet && finding.location) {
      const target = finding.location.line;
      const width = String(finding.snippet.startLine + finding.snippet.lines.length).length;
      finding.snippet.lines.forEach((code, offset) => {
        const lineNumber = finding.snippet!.startLine + offset;
        const pointer = lineNumber === target ? '>' : ' ';
        lines.push(`   ${pointer} ${String(lineNumber).padStart(width)} | ${code}`);
      });
    }
    if (finding.suggestion) lines.push(`     → ${relative(finding.suggestion)}`);
    return lines.join('\n');
  });
  return `${head}${head ? '\n' : ''}${blocks.join('\n\n')}\n`;
}
