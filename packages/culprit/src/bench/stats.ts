import { decodeFromCompressedBase64, encodeIntoCompressedBase64, Int32Histogram, JsHistogram } from 'hdr-histogram-js';

/** Running count/sum/min/max of one request phase, in milliseconds (hey's Details). */
export interface PhaseStats {
  count: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
}

export type PhaseName = 'dial' | 'dns' | 'write' | 'wait' | 'read';
export const phaseNames: readonly PhaseName[] = ['dial', 'dns', 'write', 'wait', 'read'];

/**
 * Everything a run remembers: one HDR histogram of latencies (µs) and
 * counters. Never an array per request, so 1,000,000 requests cost the same
 * memory as 10,000.
 */
export interface BenchStats {
  latencyUs: Int32Histogram;
  /** Responses received (any status). */
  requests: number;
  /** Requests that got no complete response, by kind in errorKinds. */
  errors: number;
  bytes: number;
  /** Under -q: sends that left later than their slot (see LATE_AFTER_MS). */
  lateSends: number;
  statusCodes: Map<number, number>;
  errorKinds: Map<string, number>;
  phases: Record<PhaseName, PhaseStats>;
  durationMs: number;
}

/** The serializable form of BenchStats: sent by workers, saved in --json. */
export interface BenchStatsData {
  histogram: string;
  requests: number;
  errors: number;
  bytes: number;
  lateSends: number;
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  phases: Record<PhaseName, PhaseStats>;
  durationMs: number;
}

/** An empty auto-resizing µs histogram with 3 significant digits. */
export function newLatencyHistogram(): Int32Histogram {
  const histogram = new Int32Histogram(1, 2, 3);
  histogram.autoResize = true;
  return histogram;
}

function emptyPhase(): PhaseStats {
  return { count: 0, sumMs: 0, minMs: Number.POSITIVE_INFINITY, maxMs: 0 };
}

export function createStats(): BenchStats {
  return {
    latencyUs: newLatencyHistogram(),
    requests: 0,
    errors: 0,
    bytes: 0,
    lateSends: 0,
    statusCodes: new Map(),
    errorKinds: new Map(),
    phases: { dial: emptyPhase(), dns: emptyPhase(), write: emptyPhase(), wait: emptyPhase(), read: emptyPhase() },
    durationMs: 0,
  };
}

export function recordPhase(phase: PhaseStats, ms: number): void {
  phase.count++;
  phase.sumMs += ms;
  if (ms < phase.minMs) phase.minMs = ms;
  if (ms > phase.maxMs) phase.maxMs = ms;
}

export function countError(stats: BenchStats, kind: string): void {
  stats.errors++;
  stats.errorKinds.set(kind, (stats.errorKinds.get(kind) ?? 0) + 1);
}

export function countStatus(stats: BenchStats, status: number): void {
  stats.statusCodes.set(status, (stats.statusCodes.get(status) ?? 0) + 1);
}

/** Decodes an encoded histogram (hdr-histogram-js compressed base64) into an iterable JS histogram. */
export function decodeHistogram(base64: string): Int32Histogram {
  const histogram = newLatencyHistogram();
  if (base64 !== '') histogram.add(decodeJs(base64));
  return histogram;
}

/** Decodes with the pure-JS implementation (no WebAssembly is ever initialised here). */
function decodeJs(base64: string): JsHistogram {
  const decoded = decodeFromCompressedBase64(base64);
  if (!(decoded instanceof JsHistogram)) throw new TypeError('hdr-histogram-js decoded into a non-JS histogram');
  return decoded;
}

export function toData(stats: BenchStats): BenchStatsData {
  const phases = structuredClone(stats.phases);
  for (const name of phaseNames) if (phases[name].count === 0) phases[name].minMs = 0;
  return {
    histogram: stats.latencyUs.totalCount === 0 ? '' : encodeIntoCompressedBase64(stats.latencyUs),
    requests: stats.requests,
    errors: stats.errors,
    bytes: stats.bytes,
    lateSends: stats.lateSends,
    statusCodes: Object.fromEntries(stats.statusCodes),
    errorKinds: Object.fromEntries(stats.errorKinds),
    phases,
    durationMs: stats.durationMs,
  };
}

export function fromData(data: BenchStatsData): BenchStats {
  const stats = createStats();
  mergeData(stats, data);
  stats.durationMs = data.durationMs;
  return stats;
}

/** Adds a worker's (or another run's) stats into `into`; durations take the longest. */
export function mergeData(into: BenchStats, data: BenchStatsData): void {
  if (data.histogram !== '') into.latencyUs.add(decodeJs(data.histogram));
  into.requests += data.requests;
  into.errors += data.errors;
  into.bytes += data.bytes;
  into.lateSends += data.lateSends;
  for (const [code, n] of Object.entries(data.statusCodes)) countMany(into.statusCodes, Number(code), n);
  for (const [kind, n] of Object.entries(data.errorKinds)) countMany(into.errorKinds, kind, n);
  for (const name of phaseNames) {
    const a = into.phases[name];
    const b = data.phases[name];
    if (b.count === 0) continue;
    a.count += b.count;
    a.sumMs += b.sumMs;
    a.minMs = Math.min(a.minMs, b.minMs);
    a.maxMs = Math.max(a.maxMs, b.maxMs);
  }
  into.durationMs = Math.max(into.durationMs, data.durationMs);
}

function countMany<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
