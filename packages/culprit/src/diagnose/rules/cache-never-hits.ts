/**
 * A cache that never hits: on every run of a request one line reads a Redis
 * key, finds nothing, and the same key shape is written later in the run, each
 * run under another key (the capture's salted hash of the exact key never
 * repeats). The key holds something that changes per request (the time, a
 * random or request id), so what is written is never read and the work the
 * cache should spare runs every time. The finding names the line that puts the
 * changing part into the key when the source shows it, else the read. Pure.
 */
import type { Finding, RedisCallRecord, SourceLocation } from '../../capture/types.js';
import { clampShare, formatMs, formatPlace, plural } from '../evidence.js';
import { answered, type RequestFacts } from '../facts/request-facts.js';
import { requestTimeMs } from '../facts/request-time.js';
import { type Rule, severityFor } from '../rule.js';
import type { ReadSource } from '../snippets.js';
import { changingKeyLine } from './changing-key-line.js';

/** Reads of one value that a miss answers with nothing. */
const READS = new Set(['GET', 'GETEX', 'HGET', 'HGETALL']);
/** Writes that fill what such a read looks for. */
const WRITES = new Set(['SET', 'SETEX', 'PSETEX', 'SETNX', 'HSET', 'HMSET']);
/** Runs needed to tell a key that changes from a first miss: the second run would have hit. */
const MIN_RUNS = 2;

export const cacheNeverHits: Rule = {
  id: 'cache-never-hits',
  kind: 'cause',
  describe: 'a Redis read that misses on every run under a new key and is filled after: the key changes per request',
  run(facts) {
    return facts.requests.filter(answered).flatMap((request) => findingsFor(request, facts.readSource));
  },
};

interface Miss {
  read: RedisCallRecord;
  /** Milliseconds from the miss's answer to the write that filled it: the work a hit would skip. */
  computeMs: number;
}

const siteOf = (call: RedisCallRecord): string => (call.location ? `${call.location.file}:${call.location.line}` : '');

/** The run's misses at each read site (file and line) that the run itself filled afterwards. */
function filledMisses(calls: readonly RedisCallRecord[]): Map<string, Miss> {
  const misses = new Map<string, Miss>();
  for (const read of calls) {
    if (!READS.has(read.command) || read.key === undefined || !read.location || (read.replyBytes ?? 1) > 0) continue;
    const answeredAt = read.startMs + read.durationMs;
    const write = calls.find((call) => WRITES.has(call.command) && call.key === read.key && call.startMs >= answeredAt);
    if (!write) continue;
    // by the line alone: a key that holds the time may fold to another shape each run (`…:?.665Z`)
    const site = siteOf(read);
    if (!misses.has(site)) misses.set(site, { read, computeMs: write.startMs - answeredAt });
  }
  return misses;
}

function findingsFor(request: RequestFacts, readSource: ReadSource | undefined): Finding[] {
  const runs = request.runs.filter((run) => !run.error && run.status < 400);
  if (runs.length < MIN_RUNS) return [];
  const perRun = runs.map((run) => filledMisses(run.redis ?? []));
  const findings: Finding[] = [];
  for (const [site, first] of perRun[0] ?? []) {
    const misses = perRun.map((misses) => misses.get(site));
    if (misses.some((miss) => miss === undefined)) continue;
    const every = misses as Miss[];
    const keys = new Set(every.map((miss) => miss.read.valuesKey));
    // the same key missed again: the write did not take or expired at once, another problem than a changing key
    if (keys.has(undefined) || keys.size < every.length) continue;
    findings.push(describe(request, first.read, every, readSource));
  }
  return findings;
}

/** The application files the request's statements and calls ran through: where a cache helper's callers are. */
function requestFiles(request: RequestFacts): string[] {
  const files = new Set<string>();
  for (const op of [...request.queries, ...request.remote]) for (const frame of op.chain) files.add(frame.file);
  return [...files].map((file) => file.replace(/^file:\/\//, ''));
}

function describe(
  request: RequestFacts,
  read: RedisCallRecord,
  misses: readonly Miss[],
  readSource: ReadSource | undefined,
): Finding {
  const { endpoint, request: record } = request;
  const requestMs = requestTimeMs(record);
  const sorted = misses.map((miss) => miss.computeMs).sort((a, b) => a - b);
  const computeMs = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  const savesMs = Math.min(requestMs, computeMs);
  const readAt = read.location as SourceLocation;
  const keyLine = changingKeyLine(readAt, readSource, requestFiles(request));
  const location = keyLine?.location ?? readAt;
  const cause = keyLine ? `: ${keyLine.part} goes into the key at ${formatPlace(keyLine.location)}` : '';
  return {
    endpoint,
    rule: cacheNeverHits.id,
    severity: severityFor(savesMs, requestMs),
    title: `${endpoint} never hits its cache: ${read.command} ${read.key} at ${formatPlace(readAt)} missed on ${plural(misses.length, 'run')}, each under another key${cause}, so the ${formatMs(computeMs)} the cache should spare runs every time`,
    impact: clampShare(savesMs / Math.max(requestMs, 1e-9)),
    savesMs,
    location,
    evidence: [
      { label: 'read', value: `${read.command} ${read.key} at ${formatPlace(readAt)}: nothing, on every run` },
      { label: 'keys', value: `${misses.length} runs, ${misses.length} different keys of the shape ${read.key}` },
      { label: 'between the miss and the write', value: sorted.map((ms) => formatMs(ms)).join(', ') },
    ],
    suggestion: `Build the cache key only from what selects the value (the ids and parameters of the request), not the time, a random value or a request id; let the TTL expire the entry. Then check the second run hits (culprit trace twice).`,
  };
}
