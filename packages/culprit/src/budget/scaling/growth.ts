/**
 * Does a request's cost grow with the data? Given the same request measured
 * at several data sizes, each field (queries, rows, constructions, HTTP
 * calls) is checked against the growth the test allows: O(1) means the same
 * count at every size; O(n) means no faster than proportional to n (and,
 * with three sizes or more, a per-item cost that does not itself grow).
 * Counts are exact, so no tolerance is needed for O(1). Constructions are
 * those of the app's own classes: a library's bookkeeping objects (an ORM's
 * repositories, created lazily and cached) vary with its caches, not with the
 * data, and rows already show a library reading more. Pure.
 */
import type { SourceLocation } from '../../capture/types.js';
import { groupDigits } from '../../group-digits.js';
import { type Measured, repeatedQueries } from '../check-budget.js';

export type Growth = 'O(1)' | 'O(n)';
export const SCALED_FIELDS = ['queries', 'rows', 'constructions', 'httpCalls', 'redisCalls'] as const;
export type ScaledField = (typeof SCALED_FIELDS)[number];

/** One measured size. */
export interface SizedRun {
  n: number;
  measured: Measured;
}

/** A part of the request (a query site, a class, a call shape) and its figure at each size. */
export interface GrowingPart {
  what: string;
  location?: SourceLocation;
  /** The field's figure from this part, per size (same order as the runs). */
  values: number[];
}

export interface ScalingBreach {
  field: ScaledField;
  allowed: Growth;
  /** The field's total per size. */
  values: number[];
  /** The part whose figure grew most between the smallest and largest size. */
  grewMost?: GrowingPart;
}

/** Constructions of classes outside npm packages. */
function appConstructions(measured: Measured): Measured['constructions'] {
  return measured.constructions.filter((c) => c.location?.package === undefined);
}

export function fieldTotal(measured: Measured, field: ScaledField): number {
  switch (field) {
    case 'queries':
      return repeatedQueries(measured).reduce((sum, site) => sum + site.count, 0);
    case 'rows':
      return repeatedQueries(measured).reduce((sum, site) => sum + site.rows, 0);
    case 'constructions':
      return appConstructions(measured).reduce((sum, c) => sum + c.count, 0);
    case 'httpCalls':
      return measured.httpCalls?.length ?? 0;
    case 'redisCalls':
      return measured.redisCalls?.length ?? 0;
  }
}

/** The field split into parts, keyed so the same part is found at every size. */
function partsOf(
  measured: Measured,
  field: ScaledField,
): Map<string, { what: string; location?: SourceLocation; value: number }> {
  const parts = new Map<string, { what: string; location?: SourceLocation; value: number }>();
  const add = (key: string, what: string, location: SourceLocation | undefined, value: number) => {
    const seen = parts.get(key);
    if (seen) seen.value += value;
    else parts.set(key, { what, value, ...(location ? { location } : {}) });
  };
  const place = (l: SourceLocation | undefined) => (l ? `${l.file}:${l.line}` : '');
  if (field === 'queries' || field === 'rows') {
    for (const site of repeatedQueries(measured)) {
      add(
        `${site.sql}\0${place(site.location)}`,
        site.sql,
        site.location,
        field === 'queries' ? site.count : site.rows,
      );
    }
  } else if (field === 'constructions') {
    for (const c of measured.constructions)
      add(`${c.className}\0${place(c.location)}`, `new ${c.className}`, c.location, c.count);
  } else if (field === 'httpCalls') {
    for (const call of measured.httpCalls ?? []) {
      const what = `${call.method} ${call.host}${call.path}`;
      add(`${what}\0${place(call.location)}`, what, call.location, 1);
    }
  } else {
    for (const call of measured.redisCalls ?? []) {
      const what = call.key === undefined ? call.command : `${call.command} ${call.key}`;
      add(`${what}\0${place(call.location)}`, what, call.location, 1);
    }
  }
  return parts;
}

function grewMost(runs: readonly SizedRun[], field: ScaledField): GrowingPart | undefined {
  const perSize = runs.map((run) => partsOf(run.measured, field));
  const keys = new Set(perSize.flatMap((parts) => [...parts.keys()]));
  let best: (GrowingPart & { growth: number }) | undefined;
  for (const key of keys) {
    const values = perSize.map((parts) => parts.get(key)?.value ?? 0);
    const growth = (values[values.length - 1] ?? 0) - (values[0] ?? 0);
    if (growth > 0 && growth > (best?.growth ?? 0)) {
      const sample = perSize.findLast((parts) => parts.has(key))?.get(key);
      best = { what: sample?.what ?? key, values, growth, ...(sample?.location ? { location: sample.location } : {}) };
    }
  }
  if (!best) return undefined;
  const { growth: _growth, ...part } = best;
  return part;
}

/** True when `values` (at sizes `ns`) grow no faster than `allowed`. */
export function within(allowed: Growth, ns: readonly number[], values: readonly number[]): boolean {
  const first = values[0] ?? 0;
  if (allowed === 'O(1)') return values.every((v) => v <= first);
  const n0 = ns[0] ?? 1;
  for (let k = 1; k < values.length; k++) {
    // proportional from the smallest size at most (a zero start is taken as one)
    if ((values[k] ?? 0) > Math.max(first, 1) * ((ns[k] ?? n0) / n0)) return false;
    if (k >= 2) {
      const slope = ((values[k] ?? 0) - (values[k - 1] ?? 0)) / ((ns[k] ?? 0) - (ns[k - 1] ?? 0));
      const before = ((values[k - 1] ?? 0) - (values[k - 2] ?? 0)) / ((ns[k - 1] ?? 0) - (ns[k - 2] ?? 0));
      if (slope > 1.5 * Math.max(before, 0) + 0.5) return false; // the cost per item itself grows
    }
  }
  return true;
}

/** The fields that grew faster than allowed, with the part that grew most. */
export function scalingBreaches(
  runs: readonly SizedRun[],
  allowed: Partial<Record<ScaledField, Growth>>,
): ScalingBreach[] {
  const ns = runs.map((run) => run.n);
  const breaches: ScalingBreach[] = [];
  for (const field of SCALED_FIELDS) {
    const growth = allowed[field] ?? 'O(1)';
    const values = runs.map((run) => fieldTotal(run.measured, field));
    if (within(growth, ns, values)) continue;
    const breach: ScalingBreach = { field, allowed: growth, values };
    const part = grewMost(runs, field);
    if (part) breach.grewMost = part;
    breaches.push(breach);
  }
  return breaches;
}

const FIELD_WORDS: Record<ScaledField, string> = {
  queries: 'queries',
  rows: 'rows',
  constructions: 'constructions',
  httpCalls: 'HTTP calls',
  redisCalls: 'Redis round trips',
};

const shorten = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}...` : text);

/** The failure message: each field that grew, its figure per size, and the line that grew most. */
export function describeScaling(title: string, runs: readonly SizedRun[], breaches: readonly ScalingBreach[]): string {
  const lines = [`${title} does not scale with the data:`];
  for (const breach of breaches) {
    const figures = breach.values.map((v, i) => `n=${runs[i]?.n}: ${groupDigits(v)}`).join(', ');
    lines.push(`  ${FIELD_WORDS[breach.field]} grow with n (allowed ${breach.allowed}): ${figures}`);
    const part = breach.grewMost;
    if (part) {
      const where = part.location ? `${part.location.file}:${part.location.line}` : '(no app frame)';
      lines.push(`    grew most at ${where}: ${part.values.map((v) => groupDigits(v)).join(' → ')}`);
      lines.push(`      ${shorten(part.what)}`);
    }
  }
  return lines.join('\n');
}
