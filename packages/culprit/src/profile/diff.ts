/**
 * Per-function change between two profiles (before/after a fix): self time
 * and exact calls, both per request so runs of different lengths compare.
 * Functions match by name and source location.
 */
import type { ProfileData, ProfileFunction } from '../capture/types.js';
import { where } from './pstats.js';

export interface FunctionChange {
  where: string;
  /** Self time per request, milliseconds; 0 when absent on that side. */
  beforeSelfMs: number;
  afterSelfMs: number;
  /** Calls per request; null when that side has no count for it. */
  beforeCalls: number | null;
  afterCalls: number | null;
  /** Present on one side only. */
  status: 'changed' | 'added' | 'removed';
}

export interface ProfileDiff {
  beforeMsPerRequest: number;
  afterMsPerRequest: number;
  changes: FunctionChange[];
}

const hidden = new Set<ProfileFunction['category']>(['root', 'idle', 'program']);

export function diffProfiles(before: ProfileData, after: ProfileData, cwd?: string): ProfileDiff {
  const side = (profile: ProfileData) => {
    const byKey = new Map<string, { selfMs: number; calls: number | null }>();
    const perRequest = Math.max(profile.requestCount, 1);
    const perCounted = profile.countedRequests;
    for (const fn of profile.functions) {
      if (hidden.has(fn.category)) continue;
      const key = where(fn, cwd);
      const seen = byKey.get(key) ?? { selfMs: 0, calls: null };
      seen.selfMs += fn.selfMs / perRequest;
      if (fn.calls !== null && perCounted > 0) seen.calls = (seen.calls ?? 0) + fn.calls / perCounted;
      byKey.set(key, seen);
    }
    return byKey;
  };
  const a = side(before);
  const b = side(after);
  const changes: FunctionChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    changes.push({
      where: key,
      beforeSelfMs: x?.selfMs ?? 0,
      afterSelfMs: y?.selfMs ?? 0,
      beforeCalls: x?.calls ?? null,
      afterCalls: y?.calls ?? null,
      status: x && y ? 'changed' : x ? 'removed' : 'added',
    });
  }
  changes.sort(
    (p, q) =>
      Math.abs(q.afterSelfMs - q.beforeSelfMs) - Math.abs(p.afterSelfMs - p.beforeSelfMs) ||
      Math.abs((q.afterCalls ?? 0) - (q.beforeCalls ?? 0)) - Math.abs((p.afterCalls ?? 0) - (p.beforeCalls ?? 0)) ||
      p.where.localeCompare(q.where),
  );
  return { beforeMsPerRequest: busyPerRequest(before), afterMsPerRequest: busyPerRequest(after), changes };
}

/** Sampled non-idle time per request. */
function busyPerRequest(profile: ProfileData): number {
  const idle = profile.functions.reduce((sum, fn) => sum + (fn.category === 'idle' ? fn.selfMs : 0), 0);
  return ((profile.nodes[0]?.totalMs ?? 0) - idle) / Math.max(profile.requestCount, 1);
}

export function renderDiff(diff: ProfileDiff, limit = 25): string {
  const ratio = diff.afterMsPerRequest > 0 ? diff.beforeMsPerRequest / diff.afterMsPerRequest : Number.NaN;
  const lines = [
    `sampled time per request: ${diff.beforeMsPerRequest.toFixed(1)} ms → ${diff.afterMsPerRequest.toFixed(1)} ms` +
      (Number.isFinite(ratio) ? ` (${ratio.toFixed(2)}× ${ratio >= 1 ? 'faster' : 'slower'})` : ''),
    '',
    '   per request: self ms before → after (Δ), calls before → after (Δ)',
    '',
    `${'self:before'.padStart(11)} ${'after'.padStart(9)} ${'Δ'.padStart(9)} ${'calls:before'.padStart(12)} ${'after'.padStart(10)} ${'Δ'.padStart(10)}  function`,
  ];
  const moved = diff.changes.filter(
    (c) => Math.abs(c.afterSelfMs - c.beforeSelfMs) >= 0.001 || (c.beforeCalls ?? 0) !== (c.afterCalls ?? 0),
  );
  for (const c of moved.slice(0, limit)) {
    lines.push(
      [
        c.beforeSelfMs.toFixed(3).padStart(11),
        c.afterSelfMs.toFixed(3).padStart(9),
        signed(c.afterSelfMs - c.beforeSelfMs, 3).padStart(9),
        calls(c.beforeCalls).padStart(12),
        calls(c.afterCalls).padStart(10),
        (c.beforeCalls === null || c.afterCalls === null ? '' : signed(c.afterCalls - c.beforeCalls, 0)).padStart(10),
        ` ${c.where}${c.status === 'changed' ? '' : ` [${c.status}]`}`,
      ].join(' '),
    );
  }
  if (moved.length > limit) lines.push(`… ${moved.length - limit} more changed functions (--limit)`);
  if (moved.length === 0) lines.push('(no function changed)');
  return `${lines.join('\n')}\n`;
}

function calls(value: number | null): string {
  if (value === null) return '?';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function signed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return value > 0 ? `+${text}` : text;
}
