/**
 * The route table at the end of a watch → the capture's `watch` section:
 * per route its figures, the diagnose rules' top finding over its kept
 * examples, and the command that diagnoses its slowest request. Pure.
 */
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import {
  CAPTURE_SCHEMA,
  type Capture,
  type RequestRecord,
  type RouteStats,
  type TargetInfo,
} from '../capture/types.js';
import { diagnoseFully } from '../diagnose/diagnose.js';
import type { RouteState, RouteTable } from './route-table.js';

export interface SummaryInput {
  table: RouteTable;
  target: TargetInfo;
  /** The `culprit diagnose …` command line for one request. */
  diagnoseCommand: (request: RequestRecord) => string;
}

/** The top finding of the rules over a route's examples: a cause or symptom worth a look, else none. */
function topFinding(state: RouteState, target: TargetInfo): RouteStats['finding'] {
  const capture: Capture = {
    schema: CAPTURE_SCHEMA,
    createdAt: new Date(0).toISOString(),
    tool: { name: 'culprit', version: '', command: 'watch' },
    target,
    requests: state.examples,
  };
  const finding = diagnoseFully(capture).findings.find((f) => f.severity !== 'info');
  if (!finding) return undefined;
  return {
    rule: finding.rule,
    severity: finding.severity,
    title: finding.title,
    ...(finding.location ? { location: finding.location } : {}),
    ...(finding.savesMs === undefined ? {} : { savesMs: finding.savesMs }),
  };
}

function routeStats(state: RouteState, input: SummaryInput): RouteStats {
  const example = state.examples[0];
  const h = state.histogram;
  const finding = topFinding(state, input.target);
  return {
    method: state.method,
    route: state.route,
    from: state.from,
    count: state.count,
    errors: state.errors,
    totalMs: state.totalMs,
    latencyMs: {
      p50: h.getValueAtPercentile(50) / 1000,
      p95: h.getValueAtPercentile(95) / 1000,
      p99: h.getValueAtPercentile(99) / 1000,
      max: h.maxValue / 1000,
      mean: state.count ? state.totalMs / state.count : 0,
    },
    cpuMs: state.cpuMs,
    queries: state.queries,
    rows: state.rows,
    httpCalls: state.httpCalls,
    detailed: state.detailed,
    ...(finding ? { finding } : {}),
    example: example
      ? { requestId: example.id, url: example.url, diagnose: input.diagnoseCommand(example) }
      : { requestId: 0, url: '', diagnose: '' },
    series: state.series.list(),
    histogram: h.totalCount === 0 ? '' : encodeIntoCompressedBase64(h),
  };
}

/** Routes ranked by total time, and the example requests they point at (in id order). */
export function summarizeRoutes(input: SummaryInput): { routes: RouteStats[]; requests: RequestRecord[] } {
  const ranked = input.table.ranked();
  const routes = ranked.map((state) => routeStats(state, input));
  const requests = ranked.flatMap((state) => state.examples).sort((a, b) => a.id - b.id);
  return { routes, requests };
}
