import type { Finding } from '../capture/types.js';

/** Lines shown above and below a finding's location. */
export const SNIPPET_CONTEXT_LINES = 3;

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
    return { ...finding, snippet: { startLine, lines: lines.slice(startLine - 1, endLine) } };
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
