/**
 * Symptoms attached to the causes that explain them, and CPU hotspots that
 * are the same work as a query cause (a synchronous driver's time is spent
 * in the function that issued the query) merged into it: one finding per
 * thing to fix. Pure.
 */
import type { Finding } from '../capture/types.js';
import { formatMs } from './evidence.js';
import { querySiteOf } from './query-site.js';
import { severityRank } from './rank.js';
import { perItemPathOf } from './rules/n-plus-one.js';

/** Causes whose work runs on the CPU, and so can block the event loop. */
const CPU_CAUSES = new Set([
  'blocking-call',
  'library-call',
  'call-explosion',
  'hot-function',
  'reloaded-per-request',
  'whole-table-load',
  'over-fetch',
  'join-fan-out',
  'wide-columns',
  'large-payload',
  'n-plus-one',
  // the client parses a long reply (KEYS, SMEMBERS) on the event loop
  'slow-redis-command',
]);
const CPU_RULES = new Set(['blocking-call', 'library-call', 'call-explosion', 'hot-function', 'reloaded-per-request']);

/** Calls that serialize or send a response body: their time is a large payload's cost, not a cause of its own. */
const SERIALIZING = new Set(['stringify', 'json', 'send', 'end', 'write', 'serialize']);

/**
 * Merges time spent in a library's call into a query cause located in the
 * same function (the driver's or ORM's work for that query), and
 * serialization time into the large payload that causes it. The function's
 * own hot code stays a finding of its own.
 */
export function mergeHotspots(causes: Finding[]): Finding[] {
  const queryCauses = causes.filter((f) => !CPU_RULES.has(f.rule) && f.location);
  const kept: Finding[] = [];
  for (const cause of causes) {
    const payload =
      CPU_RULES.has(cause.rule) && SERIALIZING.has(cause.callee ?? '')
        ? causes.find(
            (f) => f.rule === 'large-payload' && (f.endpoint === cause.endpoint || cause.endpoint === undefined),
          )
        : undefined;
    // only time in a library's call (a synchronous driver, an ORM hydrating rows) is the query's own work;
    // a blocking call on the very line that issued a query (better-sqlite3's native `stmt.all()`) is that query
    const sameLineOnly = cause.rule === 'blocking-call';
    const host =
      payload ??
      (cause.rule === 'library-call' || sameLineOnly
        ? (queryCauses.find((q) => {
            const site = querySiteOf(q);
            if (!site || site.file !== cause.location?.file) return false;
            // an arrow handler's query site carries no name: the very line that issued it is that query
            if (site.line === cause.location.line) return true;
            return (
              !sameLineOnly && site.functionName !== undefined && site.functionName === cause.location.functionName
            );
          }) ?? (sameLineOnly ? undefined : (loopThrough(cause, queryCauses) ?? clientCause(cause, causes))))
        : undefined);
    if (!host) {
      kept.push(cause);
      continue;
    }
    host.evidence.push({
      label: host.rule === 'large-payload' ? 'serializing it' : 'CPU in the same function',
      value: cause.title,
    });
    host.savesMs = Math.max(host.savesMs ?? 0, cause.savesMs ?? 0);
    // the CPU is the query's own work (a driver, an ORM building rows): fixing the query removes it
    if (severityRank[cause.severity] < severityRank[host.severity]) host.severity = cause.severity;
  }
  return kept;
}

/**
 * The N+1 whose per-item path runs through the function where a library's CPU was spent (an ORM's
 * association helpers in the per-item helper the loop calls): that CPU is the loop's work, per item.
 */
function loopThrough(cause: Finding, queryCauses: readonly Finding[]): Finding | undefined {
  const at = cause.location;
  if (!at?.functionName) return undefined;
  return queryCauses.find(
    (q) =>
      q.rule === 'n-plus-one' &&
      q.endpoint === cause.endpoint &&
      perItemPathOf(q).some((frame) => frame.file === at.file && frame.functionName === at.functionName),
  );
}

/** Client libraries of remote services, by the kind of operation they send. */
const CLIENT_PACKAGES: Record<string, 'http' | 'redis'> = {
  ioredis: 'redis',
  redis: 'redis',
  '@redis/client': 'redis',
  got: 'http',
  axios: 'http',
  undici: 'http',
  'node-fetch': 'http',
  superagent: 'http',
  needle: 'http',
  ky: 'http',
};
/** Causes made of many remote operations of one kind: the client's CPU per operation is part of their cost. */
const REMOTE_CAUSE_KIND: Record<string, 'http' | 'redis'> = {
  'redis-n-plus-one': 'redis',
  'http-n-plus-one': 'http',
  'http-retries': 'http',
};

/**
 * The remote cause of the CPU finding's endpoint whose operations the
 * finding's library sends: time in a Redis client's encoding and parsing
 * under a Redis N+1 is that N+1's cost, wherever the helper that calls it is.
 */
function clientCause(cpu: Finding, causes: readonly Finding[]): Finding | undefined {
  const kind = cpu.calleePackage === undefined ? undefined : CLIENT_PACKAGES[cpu.calleePackage];
  if (!kind) return undefined;
  return causes
    .filter((c) => REMOTE_CAUSE_KIND[c.rule] === kind && (cpu.endpoint === undefined || c.endpoint === cpu.endpoint))
    .sort((a, b) => (b.savesMs ?? 0) - (a.savesMs ?? 0))[0];
}

/** Causes that are waits on other services: a slow downstream is their symptom. */
const REMOTE_CAUSES = new Set(['http-n-plus-one', 'sequential-awaits', 'http-retries']);

/** Symptoms folded into the biggest cause of their endpoint that can explain them; the rest stay findings. */
export function foldSymptoms(causes: Finding[], symptoms: Finding[]): Finding[] {
  const unexplained: Finding[] = [];
  for (const symptom of symptoms) {
    if (symptom.rule === 'slow-downstream') {
      // the wait on a host is explained by calling it once per item, in sequence or again after failures
      const host = causes
        .filter((c) => REMOTE_CAUSES.has(c.rule) && c.endpoint === symptom.endpoint)
        .sort((a, b) => (b.savesMs ?? 0) - (a.savesMs ?? 0))[0];
      if (!host) {
        unexplained.push(symptom);
        continue;
      }
      host.explains = [...(host.explains ?? []), symptom.title];
      host.evidence.push({ label: 'waiting on the service', value: symptom.title });
      continue;
    }
    const blockingMs = symptom.savesMs ?? 0;
    const host = causes
      .filter((c) => CPU_CAUSES.has(c.rule) && (c.endpoint === undefined || c.endpoint === symptom.endpoint))
      .filter((c) => symptom.rule !== 'event-loop-blocking' || (c.savesMs ?? 0) >= blockingMs * 0.25)
      .sort((a, b) => (b.savesMs ?? 0) - (a.savesMs ?? 0))[0];
    if (symptom.rule !== 'event-loop-blocking' || !host) {
      unexplained.push(symptom);
      continue;
    }
    host.explains = [...(host.explains ?? []), symptom.title];
    host.evidence.push({ label: 'blocks the event loop', value: `${formatMs(blockingMs)} in one synchronous stretch` });
  }
  return unexplained;
}

/** Rules whose finding is about loading too much with one statement: too many rows, or columns too wide. */
const ROW_CAUSES = new Set(['whole-table-load', 'over-fetch', 'join-fan-out', 'wide-columns']);

/** The share of a slow statement's saving a load must claim to be what makes the statement slow. */
const LOAD_SHARE_OF_READ = 0.5;

/**
 * A statement that is slow because it loads a whole table, or reads wide
 * columns the response never carries, is one thing to fix, not two: its
 * slow-query finding becomes evidence of the load.
 */
export function mergeSlowLoads(causes: Finding[]): Finding[] {
  const queryOf = (f: Finding): string | undefined => f.evidence.find((e) => e.label === 'query')?.value;
  return causes.filter((cause) => {
    if (cause.rule !== 'slow-query') return true;
    // a load that saves much less than the statement's own read (a whole scan for a few rows) is not its cause
    const host = causes.find(
      (c) =>
        ROW_CAUSES.has(c.rule) &&
        c.endpoint === cause.endpoint &&
        queryOf(c) === queryOf(cause) &&
        (c.savesMs ?? 0) >= LOAD_SHARE_OF_READ * (cause.savesMs ?? 0),
    );
    if (!host) return true;
    const plan = cause.evidence.find((e) => e.label === 'plan');
    host.evidence.push({ label: 'the query itself', value: cause.title });
    if (plan) host.evidence.push(plan);
    return false;
  });
}
