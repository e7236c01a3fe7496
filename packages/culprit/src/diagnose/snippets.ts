import type { Finding } from '../capture/types.js';

/** Lines shown above and below a finding's location. */
export const SNIPPET_CONTEXT_LINES = 3;

export type ReadSource = (file: string) => string | undefined;

/**
 * Adds the source lines around each finding's location, read through the
 * given reader (the CLI passes one that reads files; tests pass a map), so
 * the capture carries the code even when viewed on another machine.
 */
export function attachSnippets(findings: Finding[], readSource: ReadSource): Finding[] {
  return findings.map((finding) => {
    if (finding.snippet || !finding.location) return finding;
    const text = readSource(finding.location.file.replace(/^file:\/\//, ''));
    if (text === undefined) return finding;
    const lines = text.split(/\r?\n/);
    const startLine = Math.max(1, finding.location.line - SNIPPET_CONTEXT_LINES);
    const endLine = Math.min(lines.length, finding.location.line + SNIPPET_CONTEXT_LINES);
    return { ...finding, snippet: { startLine, lines: lines.slice(startLine - 1, endLine) } };
  });
}
