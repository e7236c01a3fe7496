import type { Finding } from '../capture/types.js';

/** Lines shown above and below a finding's location. */
export const SNIPPET_CONTEXT_LINES = 3;
/** Characters kept of one line: a minified bundle (Next.js's `.next/server`, a webpack build) is one line of 100 KB. */
export const SNIPPET_LINE_WIDTH = 160;

/** The part of each long line around `column` (1-based, of the located line), `…` where cut; short lines stay whole. */
export function clipLines(lines: readonly string[], column: number | undefined): string[] {
  const from = Math.max(0, (column ?? 1) - 1 - Math.floor(SNIPPET_LINE_WIDTH / 3));
  return lines.map((line) => {
    if (line.length <= SNIPPET_LINE_WIDTH) return line;
    const start = Math.min(from, line.length - SNIPPET_LINE_WIDTH);
    const part = line.slice(start, start + SNIPPET_LINE_WIDTH);
    return `${start > 0 ? '…' : ''}${part}${start + SNIPPET_LINE_WIDTH < line.length ? '…' : ''}`;
  });
}

/**
 * Gives the text of a source file, or undefined. The reader decides which
 * files may be read: the CLI passes one confined to the target's project
 * while the capture is made (investigate/project-sources.ts), and `noSources`
 * for a capture read from a file, which must never make culprit open the
 * paths it names.
 */
export type ReadSource = (file: string) => string | undefined;

/** The reader for captures read later: nothing is opened; findings keep the snippets the capture carries. */
export const noSources: ReadSource = () => undefined;

/**
 * Adds the source lines around each finding's location, read through the
 * given reader (tests pass a map), so the capture carries the code even when
 * viewed on another machine.
 */
export function attachSnippets(findings: Finding[], readSource: ReadSource): Finding[] {
  return findings.map((finding) => {
    if (finding.snippet || !finding.location) return finding;
    const text = readSource(finding.location.file.replace(/^file:\/\//, ''));
    if (text === undefined) return finding;
    const lines = text.split(/\r?\n/);
    const startLine = Math.max(1, finding.location.line - SNIPPET_CONTEXT_LINES);
    const endLine = Math.min(lines.length, finding.location.line + SNIPPET_CONTEXT_LINES);
    const shown = clipLines(lines.slice(startLine - 1, endLine), finding.location.column);
    return { ...finding, snippet: { startLine, lines: shown } };
  });
}

/**
 * Gives findings recomputed from a saved capture the snippets its earlier
 * findings carried at the same place, since the file itself is not read again.
 */
export function keepSnippets(findings: Finding[], previous: readonly Finding[] | undefined): Finding[] {
  const known = new Map<string, NonNullable<Finding['snippet']>>();
  for (const finding of previous ?? []) {
    if (finding.snippet && finding.location)
      known.set(`${finding.location.file}:${finding.location.line}`, finding.snippet);
  }
  return findings.map((finding) => {
    if (finding.snippet || !finding.location) return finding;
    const snippet = known.get(`${finding.location.file}:${finding.location.line}`);
    return snippet ? { ...finding, snippet } : finding;
  });
}
