/**
 * A database or Redis connection opened for each use (`new Client()`, `connect()`, query, `end()` inside a
 * helper a loop calls): the request pays a TCP handshake, the server's authentication and its backend's start
 * every time, waits culprit sees as time in no query. Told from a pool warming up by the operations' times: a
 * pool opens more than one connection only for operations that overlap, so several connections to one peer
 * for operations that never overlap were each opened for one use. Pure.
 */
import type { Finding, NetworkUse, SourceLocation } from '../../capture/types.js';
import { clampShare, formatMs, formatPlace, plural } from '../evidence.js';
import type { OperationFact } from '../facts/operation-facts.js';
import { coveredMs } from '../facts/operation-facts.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { type Rule, severityFor } from '../rule.js';
import type { ReadSource } from '../snippets.js';

/** A line that opens a connection: a client's connect, a connection factory, a client made to connect. */
export const CONNECT_WRITTEN =
  /\.connect\s*\(|\bcreateConnection\s*\(|\bnew\s+(?:[\w$]+\.)?(?:Client|Connection|Redis|IORedis)\s*\(|\bcreateClient\s*\(/;

/** How far above the statement the connection may be opened in the same function. */
const FUNCTION_LINES = 30;
const FUNCTION_START = /\bfunction\b|=>\s*\{?\s*$/;

/** The line above `at`, in its function, that opens a connection (`await client.connect()`). */
function connectLine(at: SourceLocation, readSource: ReadSource | undefined): SourceLocation | undefined {
  const lines = readSource?.(at.file.replace(/^file:\/\//, ''))?.split(/\r?\n/);
  if (!lines) return undefined;
  for (let line = at.line; line >= Math.max(1, at.line - FUNCTION_LINES); line--) {
    const text = lines[line - 1] ?? '';
    if (CONNECT_WRITTEN.test(text)) return { ...at, line, column: 1 };
    if (line < at.line && FUNCTION_START.test(text)) return undefined;
  }
  return undefined;
}

/** Operations on the time axis that never run two at a time. */
function oneAtATime(ops: readonly OperationFact[]): boolean {
  const spans = ops
    .filter((op) => op.startMs !== undefined)
    .map((op) => [op.startMs as number, (op.startMs as number) + op.durationMs] as const)
    .sort((a, b) => a[0] - b[0]);
  return spans.every(([start], i) => i === 0 || start >= (spans[i - 1]?.[1] ?? 0) - 0.01);
}

/** The peer written to most often through new connections, when it took several for one-at-a-time work. */
function reconnected(request: RequestFacts): { peer: NetworkUse; ops: OperationFact[] } | undefined {
  const ops = request.timeline.filter((op) => op.kind === 'sql' || op.kind === 'redis');
  const peer = (request.request.network ?? [])
    .filter((use) => use.kind !== 'http' && use.connects >= 2)
    .sort((a, b) => b.connects - a.connects)[0];
  if (!peer || ops.length < peer.connects || !oneAtATime(ops)) return undefined;
  return { peer, ops };
}

function describe(request: RequestFacts, peer: NetworkUse, ops: OperationFact[], readSource?: ReadSource): Finding {
  const { request: record, endpoint } = request;
  const requestMs = requestTimeMs(record);
  // the connections' set-up is time in no operation and on no CPU; one connection would remain
  const unexplainedMs = Math.max(0, requestMs - coveredMs(ops) - record.cpuMs);
  const savesMs = (unexplainedMs * (peer.connects - 1)) / peer.connects;
  const first = ops[0] as OperationFact;
  const issued = first.statementLine ?? first.chain.at(-1);
  // the connection is opened above the statement in its function, or by a caller that hands the client down
  const opened = issued
    ? ([issued, ...[...first.chain].reverse()].map((frame) => connectLine(frame, readSource)).find(Boolean) ?? issued)
    : undefined;
  const noun = ops.every((op) => op.kind === 'redis') ? 'commands' : 'queries';
  const finding: Finding = {
    endpoint,
    rule: connectionPerUse.id,
    severity: severityFor(savesMs, requestMs),
    title: `${endpoint} opens a new connection to ${peer.remote} for each use: ${plural(peer.connects, 'connection')} in one request${opened ? ` at ${formatPlace(opened)}` : ''}, though its ${ops.length} ${noun} never run at the same time (a pool would keep one open)`,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    evidence: [
      { label: 'connections opened', value: `${peer.connects} to ${peer.remote}` },
      { label: `${noun}`, value: `${ops.length}, one at a time, ${formatMs(coveredMs(ops))} in all` },
      {
        label: 'time in no operation and on no CPU',
        value: `${formatMs(unexplainedMs)} of ${formatMs(record.wallMs)}`,
      },
    ],
    suggestion:
      "Create the pool or client once at start-up (new Pool(), mysql.createPool(), one Redis client at module scope) and use it in each request instead of connecting each time: every connection costs a TCP handshake, the server's authentication and a backend process or thread.",
  };
  if (opened) finding.location = opened;
  else finding.noAppLine = 'the operations carry no application frame';
  return finding;
}

export const connectionPerUse: Rule = {
  id: 'connection-per-use',
  kind: 'cause',
  describe: 'a request opens several connections to one database or Redis peer for operations that never overlap',
  run(facts) {
    return facts.requests.filter(answered).flatMap((request) => {
      const found = reconnected(request);
      return found ? [describe(request, found.peer, found.ops, facts.readSource)] : [];
    });
  },
};
