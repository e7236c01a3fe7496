import type { DiagnosisTotals, Finding } from '../capture/types.js';
import type { DiagnosisFacts } from './facts/request-facts.js';
import { requestTimeMs } from './facts/request-time.js';

/**
 * What the request cost and how much of it the findings explain: the line
 * above the findings, so "no findings" over a 2 s request reads as what it is.
 */
export function totalsOf(facts: DiagnosisFacts, findings: readonly Finding[]): DiagnosisTotals[] {
  return facts.requests.map(({ request, endpoint, queryCount, rows, items, itemsPath }) => {
    const saves = findings
      .filter((f) => f.endpoint === undefined || f.endpoint === endpoint)
      .filter((f) => f.rule !== 'request-failed')
      .reduce((sum, f) => sum + (f.savesMs ?? 0), 0);
    const totals: DiagnosisTotals = {
      endpoint,
      status: request.status,
      runs: facts.requests.find((r) => r.endpoint === endpoint)?.runs.length ?? 1,
      wallMs: request.wallMs,
      cpuMs: request.cpuMs,
      queries: queryCount,
      rows,
      items,
      bytes: request.bytes,
      explainedShare: Math.min(1, saves / Math.max(requestTimeMs(request), 1e-9)),
    };
    if (itemsPath !== undefined) totals.itemsPath = itemsPath;
    return totals;
  });
}
