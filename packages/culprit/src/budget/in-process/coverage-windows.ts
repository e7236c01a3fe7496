/**
 * Constructions per measurement from V8 count-mode coverage, which is one
 * counter set for the whole process: each take resets it. Measurements that
 * overlap (concurrent tests) therefore share takes: every take's counts go to
 * every measurement open at that moment, and those measurements are flagged
 * as overlapped, since their constructions include each other's.
 */
import type { Construction } from '../../capture/types.js';
import { constructionsIn, startCounting, takeCoverage } from '../../probe/constructions.js';

/** One open measurement's share of the coverage takes. */
export interface CoverageWindow {
  readonly counts: Map<string, Construction>;
  overlapped: boolean;
}

const open = new Set<CoverageWindow>();

function keyOf(construction: Construction): string {
  const at = construction.location;
  return `${construction.className}\0${at ? `${at.file}:${at.line}` : ''}`;
}

/** Takes the counts since the previous take and adds them to every open window. */
function distribute(): void {
  const delta = constructionsIn(takeCoverage());
  if (open.size === 0 || delta.length === 0) return;
  for (const window of open) {
    for (const construction of delta) {
      const key = keyOf(construction);
      const seen = window.counts.get(key);
      if (seen) seen.count += construction.count;
      else window.counts.set(key, { ...construction });
    }
  }
}

/** Opens a window: what ran before it is taken (and given to other open windows) first. */
export function openCoverageWindow(): CoverageWindow {
  startCounting(); // idempotent; count mode stays on for the process once asked
  distribute();
  const window: CoverageWindow = { counts: new Map(), overlapped: open.size > 0 };
  for (const other of open) other.overlapped = true;
  open.add(window);
  return window;
}

/** Closes a window and returns its constructions, most first. */
export function closeCoverageWindow(window: CoverageWindow): Construction[] {
  distribute();
  open.delete(window);
  return [...window.counts.values()].sort((a, b) => b.count - a.count || a.className.localeCompare(b.className));
}
