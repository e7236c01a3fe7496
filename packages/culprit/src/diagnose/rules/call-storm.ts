import type { Finding, ProfileFunction, SourceLocation } from '../../capture/types.js';
import { clampShare, formatCount, formatMs } from '../evidence.js';
import type { Rule } from '../rule.js';

/** Calls of one function per request above which the count itself is the clue (the story's 231,590). */
export const CALLS_PER_REQUEST_LIMIT = 10_000;
/** Storms usually come in families (a loop calls several helpers): the top one is the lead to follow. */
export const MAX_STORMS = 1;

/** The user's own functions lead: they are what the user can change. */
function appFirst(fn: ProfileFunction): number {
  return fn.category === 'app' ? 0 : 1;
}

function locationOf(fn: ProfileFunction): SourceLocation | undefined {
  if (!fn.file || fn.line === 0) return undefined;
  return {
    file: fn.file,
    line: fn.line,
    column: fn.column,
    functionName: fn.name,
    ...(fn.package ? { package: fn.package } : {}),
  };
}

/**
 * A function called tens of thousands of times per request: sampled time
 * spreads such work over many small frames (the story's team missed it in a
 * flame graph), exact counts make it stand out.
 */
export const callStorm: Rule = {
  id: 'call-storm',
  describe: `a function is called >= ${formatCount(CALLS_PER_REQUEST_LIMIT)} times per request (exact counts)`,
  run(capture) {
    const profile = capture.profile;
    if (!profile || profile.countedRequests === 0) return [];
    const storms = profile.functions
      .filter((fn) => fn.category === 'app' || fn.category === 'dependency')
      .filter((fn) => (fn.calls ?? 0) / profile.countedRequests >= CALLS_PER_REQUEST_LIMIT)
      .sort((a, b) => appFirst(a) - appFirst(b) || (b.calls ?? 0) - (a.calls ?? 0))
      .slice(0, MAX_STORMS);
    return storms.map((fn): Finding => {
      const perRequest = (fn.calls ?? 0) / profile.countedRequests;
      const location = locationOf(fn);
      const where = fn.package ? `${fn.package}'s ${fn.name}` : fn.name;
      return {
        rule: callStorm.id,
        severity: 'warning',
        title: `${where} is called ${formatCount(perRequest)} times per request${location ? ` (${location.file}:${location.line})` : ''}: find who calls it that often`,
        impact: clampShare(fn.totalMs / Math.max(profile.durationMs, 1e-9)),
        ...(location ? { location } : {}),
        evidence: [
          { label: 'calls', value: `${formatCount(fn.calls ?? 0)} over ${profile.countedRequests} requests` },
          {
            label: 'time inside (sampled)',
            value: `${formatMs(fn.totalMs / Math.max(profile.requestCount, 1))} per request`,
          },
        ],
        suggestion: 'Open the sandwich view of this function (culprit view) to see its callers.',
      };
    });
  },
};
