/**
 * Counts the requests the target served that culprit did not send (health
 * checks, a browser tab, a webhook), by method, path and status, so they are
 * shown apart and never taken for culprit's request. Bounded: past
 * MAX_ROUTES distinct routes the rest are counted under one row.
 */
import type { OtherTraffic } from '../capture/types.js';

const MAX_ROUTES = 20;
const OVERFLOW = '(other paths)';

export class OtherTrafficCounter {
  private readonly rows = new Map<string, OtherTraffic>();

  /** `count`: the probe sends other traffic in batches, one row per route with how many it answered. */
  add(request: { method: string; path: string; status: number; count?: number }): void {
    const count = request.count ?? 1;
    let key = `${request.method} ${request.status} ${request.path}`;
    let path = request.path;
    if (!this.rows.has(key) && this.rows.size >= MAX_ROUTES) {
      key = `* ${request.status} ${OVERFLOW}`;
      path = OVERFLOW;
    }
    const row = this.rows.get(key);
    if (row) row.count += count;
    else this.rows.set(key, { method: path === OVERFLOW ? '*' : request.method, path, status: request.status, count });
  }

  /** Rows so far, most frequent first. */
  rowsSoFar(): OtherTraffic[] {
    return [...this.rows.values()].map((row) => ({ ...row })).sort((a, b) => b.count - a.count);
  }

  total(): number {
    let sum = 0;
    for (const row of this.rows.values()) sum += row.count;
    return sum;
  }
}
