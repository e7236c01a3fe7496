/**
 * Findings that point into a bundle (Next.js's `.next/server`, any minified
 * build) name a line nobody edits: say how to get the source lines instead.
 * Pure: findings in, notes out.
 */
import type { Finding } from '../capture/types.js';

interface BundleHint {
  /** Tells a bundled file from its path and the finding's column. */
  matches: (file: string, column: number) => boolean;
  note: string;
}

/** Past this column a line is generated code, not something a person wrote. */
const MINIFIED_COLUMN = 1_000;

const HINTS: BundleHint[] = [
  {
    matches: (file) => file.includes('/.next/server/'),
    note: "findings point into Next.js's server bundle (.next/server): add `experimental: { serverSourceMaps: true }` to next.config and rebuild, so they name your source files",
  },
  {
    matches: (_file, column) => column > MINIFIED_COLUMN,
    note: 'findings point into minified code: build the server with source maps (culprit reads the map that each file names in its sourceMappingURL comment) to get source lines',
  },
];

/** One note per kind of bundle the findings point into (the first hint that fits each finding). */
export function bundleNotes(findings: readonly Finding[]): string[] {
  const notes = new Set<string>();
  for (const finding of findings) {
    const location = finding.location;
    if (!location) continue;
    const file = location.file.replace(/^file:\/\//, '');
    const hint = HINTS.find((h) => h.matches(file, location.column));
    if (hint) notes.add(hint.note);
  }
  return [...notes];
}
