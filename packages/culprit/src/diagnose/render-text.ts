import type { Finding } from '../capture/types.js';

const marks = { critical: '✖', warning: '▲', info: '•' } as const;

/** The findings as terminal text: one sentence each, its evidence, and the code at its location. */
export function renderFindingsText(findings: Finding[]): string {
  if (findings.length === 0) return 'No findings: nothing in this capture crosses a rule threshold.\n';
  const blocks = findings.map((finding, index) => {
    const lines = [`${index + 1}. ${marks[finding.severity]} [${finding.severity}] ${finding.title}`];
    for (const item of finding.evidence) lines.push(`     ${item.label}: ${item.value}`);
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
