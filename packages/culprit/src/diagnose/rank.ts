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

export function ranked(causes: Finding[], symptoms: Finding[], requests: readonly RequestFacts[]): Finding[] {
  const out = [...causes].sort(byRank);
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
