import type { Finding } from '../capture/types.js';

const marks = { critical: '✖', warning: '▲', info: '•' } as const;

/** Evidence values (SQL above all) are cut so a finding stays readable; --json has them whole. */
export const EVIDENCE_WIDTH = 160;

function shorten(value: string): string {
  return value.length > EVIDENCE_WIDTH ? `${value.slice(0, EVIDENCE_WIDTH - 1)}…` : value;
}

/** The findings as terminal text: one sentence each, its evidence, and the code at its location. */
export function renderFindingsText(findings: Finding[], cwd?: string): string {
  if (findings.length === 0) return 'No findings: nothing in this capture crosses a rule threshold.\n';
  const blocks = findings.map((finding, index) => {
    const title = cwd ? finding.title.split(`${cwd}/`).join('') : finding.title;
    const lines = [`${index + 1}. ${marks[finding.severity]} [${finding.severity}] ${title}`];
    for (const item of finding.evidence) lines.push(`     ${item.label}: ${shorten(item.value)}`);
    if (finding.snippet && finding.location) {
      const target = finding.location.line;
      const width = String(finding.snippet.startLine + finding.snippet.lines.length).length;
      finding.snippet.lines.forEach((code, offset) => {
        const lineNumber = finding.snippet!.startLine + offset;
        const pointer = lineNumber === target ? '>' : ' ';
        lines.push(`   ${pointer} ${String(lineNumber).padStart(width)} | ${code}`);
      });
    }
    if (finding.suggestion) lines.push(`     → ${finding.suggestion}`);
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
