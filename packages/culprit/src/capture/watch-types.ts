/**
 * What `culprit watch` adds to a capture: the traffic by route (apart from types.ts, which re-exports
 * them, to keep each file to one concept). Pure, like types.ts.
 */
import type { FindingSeverity, SourceLocation } from './types.js';

/** What `culprit watch` saw: every request the server answered, grouped by route template. */
export interface WatchSummary {
  /** ISO-8601 time the watch started. */
  startedAt: string;
  durationS: number;
  /** Requests recorded (all routes). */
  requests: number;
  /** Width of each `series` bucket, seconds (doubles on long watches so series stay short). */
  bucketS: number;
  /** Ranked by total time (count × mean latency), largest first. */
  routes: RouteStats[];
}

/** One route template's traffic during a watch. */
export interface RouteStats {
  method: string;
  /** `/users/:id` as the router declared it, or the path with ids folded (`from: 'folded'`). */
  route: string;
  /** express, fastify (the router said), or folded (culprit folded ids in the path). */
  from: string;
  count: number;
  /** Responses >= 500 or requests that failed. */
  errors: number;
  /** Sum of the requests' wall times, milliseconds: what the ranking uses. */
  totalMs: number;
  /** From an HDR histogram of the wall times (3 significant digits). */
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Totals over the route's requests. */
  cpuMs: number;
  queries: number;
  rows: number;
  /** Outbound HTTP calls (fetch/undici, http.request) the route's requests made. */
  httpCalls: number;
  /**
   * Requests of the route recorded in full (the probe's sample; the others
   * are counted only): the examples and the finding come from these.
   * Absent in captures from before sampling (every request was recorded).
   */
  detailed?: number;
  /** The diagnose rules' top finding over the kept example requests of the route (sampled: see `detailed`). */
  finding?: { rule: string; severity: FindingSeverity; title: string; location?: SourceLocation; savesMs?: number };
  /** The slowest request kept: its id in `requests`, and the command that diagnoses it. */
  example: { requestId: number; url: string; diagnose: string };
  /** Latency over time: one entry per bucket that saw requests (`t` = seconds from the start). */
  series: Array<{ t: number; count: number; meanMs: number; maxMs: number; errors: number }>;
  /** hdr-histogram-js compressed base64 of the wall times in µs (merge routes or watches with it). */
  histogram: string;
}
