/**
 * Where a query finding's statement runs, when the finding is placed
 * elsewhere: at the schema (a missing index) or at the caller of a
 * data-access wrapper (a whole-table load). CPU spent in the query's own
 * function merges into the finding by that function (fold.ts). Findings are
 * plain data sent as JSON, so the site is kept beside them, not in them.
 */
import type { Finding, SourceLocation } from '../capture/types.js';

const queriedAt = new WeakMap<Finding, SourceLocation>();

/** Notes that `finding`'s statement runs at `site` (a place other than its location). */
export function noteQuerySite(finding: Finding, site: SourceLocation): void {
  queriedAt.set(finding, site);
}

/** The statement's line of a query finding placed elsewhere, else its location. */
export function querySiteOf(finding: Finding): SourceLocation | undefined {
  return queriedAt.get(finding) ?? finding.location;
}
