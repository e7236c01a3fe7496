import type { Finding, SourceLocation } from '../../capture/types.js';
import { clampShare, formatMs, formatPercent, formatPlace, plural } from '../evidence.js';
import { coveredMs, type OperationFact } from '../facts/operation-facts.js';
import { answered } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import type { Rule } from '../rule.js';
import { settings } from '../settings.js';
import type { ReadSource } from '../snippets.js';

/**
 * Does the frame's function only forward to the call it makes? True for an
 * arrow whose body is that one expression (`getJson: (url) => request('GET',
 * url)`, `(id) => client.get(id)`), on its line or the line before, and a
 * one-line `{ return call(…) }`: a client wrapper decides nothing, so a fix
 * (a cache, a timeout, moving the call) goes in its caller.
 */
export function forwards(lines: readonly string[], frame: SourceLocation): boolean {
  const text = lines[frame.line - 1] ?? '';
  const head = text.slice(0, Math.max(0, frame.column - 1));
  const arrow = head.lastIndexOf('=>');
  if (arrow >= 0) return !head.slice(arrow).includes('{');
  if (head.trim() === '' && /=>\s*$/.test(lines[frame.line - 2] ?? '')) return true;
  return /\{\s*return\s*$/.test(head) && /\}[\s;,]*$/.test(text);
}

/** The call's site, stepped out of client wrappers that only forward it (read from the source), never past the handler. */
function decidingFrame(op: OperationFact, readSource: ReadSource | undefined): SourceLocation | undefined {
  const place = op.site ?? op.chain[op.chain.length - 1];
  if (!place || !readSource) return place;
  let at = op.chain.findIndex((frame) => frame.file === place.file && frame.line === place.line);
  while (at > 0) {
    const frame = op.chain[at] as SourceLocation;
    const lines = readSource(frame.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
    if (!lines || !forwards(lines, frame)) break;
    at--;
  }
  return at >= 0 ? op.chain[at] : place;
}

/**
 * Is the wait the host's own slowness? It must hold most of the request, and
 * one call must stand out: many quick calls are the app's pattern (an N+1, a
 * sequence), which other rules name, and a chain of quick calls grows on a
 * loaded machine without any call being slow.
 */
export function isSlowHost(share: number, waitedMs: number, slowestMs: number): boolean {
  if (share < settings.slowDownstreamShare || slowestMs < settings.slowDownstreamMinMs) return false;
  return (
    slowestMs >= settings.slowDownstreamDominantShare * waitedMs || slowestMs >= settings.slowDownstreamClearlySlowMs
  );
}

/**
 * A request that mostly waits on one remote host: the time is the other
 * service's, so no line of the app makes it faster; the finding names the
 * slowest call's line (where a cache, a timeout or a background job would go)
 * and the host. A symptom: an N+1 or sequential awaits to the same host
 * explain it better when they exist.
 */
export const slowDownstream: Rule = {
  id: 'slow-downstream',
  kind: 'symptom',
  describe: `one remote host takes >= ${formatPercent(settings.slowDownstreamShare)} of a request, and one call >= ${settings.slowDownstreamMinMs} ms holds half of that wait (or takes >= ${settings.slowDownstreamClearlySlowMs} ms)`,
  run(facts) {
    return facts.requests.filter(answered).flatMap(({ request, endpoint, remote }): Finding[] => {
      const byHost = new Map<string, OperationFact[]>();
      for (const op of remote) {
        if (op.kind !== 'http' || op.origin === undefined) continue;
        byHost.set(op.origin, [...(byHost.get(op.origin) ?? []), op]);
      }
      return [...byHost].flatMap(([host, ops]): Finding[] => {
        const waitedMs = coveredMs(ops);
        const share = waitedMs / Math.max(requestTimeMs(request), 1e-9);
        const slowest = [...ops].sort((a, b) => b.durationMs - a.durationMs)[0] as OperationFact;
        if (!isSlowHost(share, waitedMs, slowest.durationMs)) return [];
        const place = decidingFrame(slowest, facts.readSource);
        const finding: Finding = {
          endpoint,
          rule: slowDownstream.id,
          severity: 'warning',
          title: `${endpoint} spends ${formatPercent(share)} of its time (${formatMs(waitedMs)}) waiting on ${host}${place ? `; the slowest call is made at ${formatPlace(place)}` : ''}`,
          impact: clampShare(share),
          savesMs: 0,
          evidence: [
            { label: 'calls to the host', value: plural(ops.length, 'call') },
            {
              label: 'slowest',
              value: `${slowest.label} (${formatMs(slowest.durationMs)}${slowest.status ? `, ${slowest.status}` : ''})`,
            },
            { label: 'request time', value: formatMs(request.wallMs) },
          ],
          suggestion:
            "The time is the other service's: make it faster there, cache its answer, or move the call off the request path; set a timeout so its slow days do not become yours.",
        };
        if (place) finding.location = place;
        else finding.noAppLine = 'the calls carry no application frame';
        return [finding];
      });
    });
  },
};
