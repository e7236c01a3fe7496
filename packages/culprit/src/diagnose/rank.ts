/**
 * The order findings are shown in: causes by severity, then by the time a
 * fix would save; symptoms no cause explains after them. Every rule states
 * both in one unit, the traced request's own time (facts/request-time.ts): a
 * query's wait and a loop's CPU compare like for like, and what a loaded
 * machine adds to the wall time by descheduling the process belongs to no
 * cause, so it neither dilutes a CPU cause's share nor inflates a wait. One exception: a
 * request that mostly waits on one remote host spends its time there, so an
 * unexplained wait outranks the causes of its endpoint that would save less
 * than it waits (a few ms of CPU beside a 200 ms call are not the headline).
 * Pure.
 */
import type { Finding } from '../capture/types.js';
import type { RequestFacts } from './facts/request-facts.js';
import { requestTimeMs } from './facts/request-time.js';

export const severityRank = { critical: 0, warning: 1, info: 2 } as const;

export function byRank(a: Finding, b: Finding): number {
  return (
    severityRank[a.severity] - severityRank[b.severity] || (b.savesMs ?? 0) - (a.savesMs ?? 0) || b.impact - a.impact
  );
}

/** Symptoms that are where the request's time goes, ranked by that time among the causes. */
const WAITS = new Set(['slow-downstream']);

/** Milliseconds a wait finding accounts for: its share of its endpoint's typical run. */
function waitedMs(finding: Finding, requests: readonly RequestFacts[]): number {
  const request = requests.find((r) => r.endpoint === finding.endpoint);
  return request ? finding.impact * requestTimeMs(request.request) : 0;
}

/**
 * A cause located at one of the awaits of a sequence that would save at least this share of what
 * overlapping the sequence saves comes before the sequence: the sequence saves the time of all but its
 * longest member, and once that member (a count over a whole table) is fixed most of that is gone too.
 */
const MEMBER_SHARE = 0.5;

/** Whether `cause` is about one of the awaits of `sequence` (same endpoint, file and one of its lines). */
function isMemberOf(cause: Finding, sequence: Finding): boolean {
  const at = sequence.location;
  if (!at || !cause.location || cause.location.file !== at.file || cause.endpoint !== sequence.endpoint) return false;
  return [at.line, ...(sequence.relatedLines ?? [])].includes(cause.location.line);
}

/** Moves each sequence of awaits after the causes among its members that save most of what it saves. */
function membersFirst(sorted: Finding[]): Finding[] {
  const out = [...sorted];
  for (const sequence of sorted.filter((finding) => finding.rule === 'sequential-awaits')) {
    const member = out.findLast(
      (cause) =>
        cause !== sequence &&
        isMemberOf(cause, sequence) &&
        severityRank[cause.severity] <= severityRank[sequence.severity] &&
        (cause.savesMs ?? 0) >= MEMBER_SHARE * (sequence.savesMs ?? 0),
    );
    if (!member || out.indexOf(member) < out.indexOf(sequence)) continue;
    out.splice(out.indexOf(sequence), 1);
    out.splice(out.indexOf(member) + 1, 0, sequence);
  }
  return out;
}

export function ranked(causes: Finding[], symptoms: Finding[], requests: readonly RequestFacts[]): Finding[] {
  const out = membersFirst([...causes].sort(byRank));
  const rest: Finding[] = [];
  for (const symptom of [...symptoms].sort(byRank)) {
    if (!WAITS.has(symptom.rule)) {
      rest.push(symptom);
      continue;
    }
    const waited = waitedMs(symptom, requests);
    const at = out.findIndex(
      (cause) =>
        (cause.endpoint === undefined || cause.endpoint === symptom.endpoint) &&
        severityRank[cause.severity] >= severityRank[symptom.severity] &&
        (cause.savesMs ?? 0) < waited,
    );
    if (at < 0) rest.push(symptom);
    else out.splice(at, 0, symptom);
  }
  return [...out, ...rest];
}
