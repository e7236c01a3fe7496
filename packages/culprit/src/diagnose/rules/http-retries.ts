import type { Finding, SourceLocation } from '../../capture/types.js';
import { clampShare, formatMs, formatPlace, plural } from '../evidence.js';
import { lineKey } from '../facts/app-frames.js';
import { enclosingLoop } from '../facts/data-flow.js';
import type { OperationFact } from '../facts/operation-facts.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { type Rule, severityFor } from '../rule.js';
import type { ReadSource } from '../snippets.js';

/** An attempt that a retry follows: a failure that another try might not have. */
function failed(op: OperationFact): boolean {
  return (
    op.error !== undefined || op.status === undefined || op.status >= 500 || op.status === 429 || op.status === 408
  );
}

/**
 * Retries: the same HTTP call (same method, URL and values) made again from
 * one line after it failed. The request pays for every failed attempt and
 * the waits between them; the finding names the retrying line, with the
 * attempts and their statuses: with the sources, the line inside the retry
 * loop that issues the call again (a helper's `return await call()`, not the
 * caller that handed it the call), else the calls' site.
 */
export const httpRetries: Rule = {
  id: 'http-retries',
  kind: 'cause',
  describe: 'the same HTTP call repeated from one line after it failed (5xx, 429, 408 or no response)',
  run(facts) {
    return facts.requests.filter(answered).flatMap((request) => findingsFor(request, facts.readSource));
  },
};

/** The innermost app frame of the call's chain that the source shows inside a loop. */
function reissuingFrame(op: OperationFact, readSource: ReadSource | undefined): SourceLocation | undefined {
  if (!readSource) return undefined;
  for (let depth = op.chain.length - 1; depth >= 0; depth--) {
    const frame = op.chain[depth] as SourceLocation;
    const text = readSource(frame.file.replace(/^file:\/\//, ''));
    if (text !== undefined && enclosingLoop(text.split(/\r?\n/), frame.line)) return frame;
  }
  return undefined;
}

function findingsFor(request: RequestFacts, readSource: ReadSource | undefined): Finding[] {
  const attempts = new Map<string, OperationFact[]>();
  for (const op of request.remote) {
    if (op.kind !== 'http' || op.valuesKey === undefined) continue;
    const key = `${op.valuesKey}\u0000${op.site ? lineKey(op.site) : ''}`;
    attempts.set(key, [...(attempts.get(key) ?? []), op]);
  }
  const findings: Finding[] = [];
  for (const ops of attempts.values()) {
    const sorted = [...ops].sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
    const failures = sorted.slice(0, -1).filter(failed);
    if (sorted.length < 2 || failures.length === 0) continue;
    const last = sorted[sorted.length - 1] as OperationFact;
    const first = sorted[0] as OperationFact;
    // everything before the last attempt started: the failed tries and the back-off between them
    const wastedMs = Math.max(0, (last.startMs ?? 0) - (first.startMs ?? 0));
    findings.push(describe(request, sorted, wastedMs, failed(last), reissuingFrame(last, readSource)));
  }
  return findings;
}

function describe(
  request: RequestFacts,
  attempts: OperationFact[],
  wastedMs: number,
  gaveUp: boolean,
  looped: SourceLocation | undefined,
): Finding {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  const lead = attempts[0] as OperationFact;
  const place = looped ?? lead.site ?? lead.chain[lead.chain.length - 1];
  const outcome = gaveUp ? 'and still failed' : 'before it answered';
  const finding: Finding = {
    endpoint,
    rule: httpRetries.id,
    severity: severityFor(wastedMs, requestMs),
    title: `${endpoint} tried ${lead.label} ${plural(attempts.length, 'time')} ${outcome}${place ? ` from ${formatPlace(place)}` : ''}: ${formatMs(wastedMs)} in failed attempts and waits`,
    impact: clampShare(wastedMs / Math.max(requestMs, 1e-9)),
    savesMs: wastedMs,
    evidence: [
      {
        label: 'attempts',
        value: attempts
          .map((op) => `${op.status ?? (op.error ? 'error' : 'no answer')} after ${formatMs(op.durationMs)}`)
          .join(', '),
      },
      { label: 'request time', value: formatMs(record.wallMs) },
    ],
    suggestion:
      "The dependency fails before it answers: find out why there (its logs, its limits), and cap retries with a short back-off or a circuit breaker so a bad spell does not multiply every request's time.",
  };
  if (place) finding.location = place;
  else finding.noAppLine = 'the calls carry no application frame';
  return finding;
}
