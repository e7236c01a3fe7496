/**
 * The pstats view: cProfile's table (`ncalls tottime percall cumtime percall
 * filename:lineno(function)`) as rows, from the profile model.
 *
 * tottime = self time, cumtime = inclusive time (recursion once per sample),
 * ncalls = exact calls from the count pass. percall divides sampled time by
 * exact calls, so it is an estimate. Dependencies fold into one row per npm
 * package unless expanded: the story's table was readable because Django's
 * internals did not drown the app's code. Node's own internals fold likewise.
 */
import type { ProfileData, ProfileFunction } from '../capture/types.js';

export const sortKeys = {
  tottime: (a: PstatsRow, b: PstatsRow) => b.tottimeMs - a.tottimeMs,
  cumtime: (a: PstatsRow, b: PstatsRow) => b.cumtimeMs - a.cumtimeMs,
  ncalls: (a: PstatsRow, b: PstatsRow) => (b.ncalls ?? -1) - (a.ncalls ?? -1),
  name: (a: PstatsRow, b: PstatsRow) => a.where.localeCompare(b.where),
} as const satisfies Record<string, (a: PstatsRow, b: PstatsRow) => number>;

export type SortKey = keyof typeof sortKeys;

export function isSortKey(value: string): value is SortKey {
  return Object.hasOwn(sortKeys, value);
}

export interface PstatsRow {
  /** Exact calls; null when the count pass did not see the function (native code, pseudo-frames). */
  ncalls: number | null;
  tottimeMs: number;
  /** tottime / ncalls (estimate); null without calls. */
  tottimePerCallMs: number | null;
  cumtimeMs: number;
  cumtimePerCallMs: number | null;
  /** `filename:lineno(function)`, filename relative to `cwd` when under it. */
  where: string;
  category: ProfileFunction['category'];
  package?: string;
  /** Functions folded into this row (dependency rows); 1 otherwise. */
  functions: number;
}

export interface PstatsOptions {
  sort: SortKey;
  /** Keep the first N rows after sorting; undefined = all. */
  limit?: number;
  /** Keep rows whose `where` matches. */
  filter?: RegExp;
  /** One row per dependency function instead of one per package. */
  expandDeps?: boolean;
  /** Shown paths are relative to this directory. */
  cwd?: string;
}

/** Pseudo-frames that are not work done by the request. */
const hidden = new Set<ProfileFunction['category']>(['root', 'idle']);

export function pstatsRows(profile: ProfileData, options: PstatsOptions): PstatsRow[] {
  const rows: PstatsRow[] = [];
  const packages = new Map<string, PstatsRow>();
  profile.functions.forEach((fn) => {
    if (hidden.has(fn.category)) return;
    const group = options.expandDeps ? undefined : groupOf(fn);
    if (group) {
      const row = packages.get(group) ?? packageRow(group);
      packages.set(group, row);
      row.functions++;
      row.tottimeMs += fn.selfMs;
      if (fn.calls !== null) row.ncalls = (row.ncalls ?? 0) + fn.calls;
      return;
    }
    rows.push({
      ncalls: fn.calls,
      tottimeMs: fn.selfMs,
      tottimePerCallMs: perCall(fn.selfMs, fn.calls),
      cumtimeMs: fn.totalMs,
      cumtimePerCallMs: perCall(fn.totalMs, fn.calls),
      where: where(fn, options.cwd),
      category: fn.category,
      ...(fn.package ? { package: fn.package } : {}),
      functions: 1,
    });
  });
  const packageTotals = inclusiveByPackage(profile);
  for (const [name, row] of packages) {
    row.cumtimeMs = round(packageTotals.get(name) ?? 0);
    row.tottimeMs = round(row.tottimeMs);
    const label = name === NODE_GROUP ? 'node:internal' : `node_modules/${name}`;
    row.where = `${label}(${row.functions} function${row.functions === 1 ? '' : 's'})`;
    row.tottimePerCallMs = perCall(row.tottimeMs, row.ncalls);
    row.cumtimePerCallMs = perCall(row.cumtimeMs, row.ncalls);
    rows.push(row);
  }
  const kept = options.filter ? rows.filter((row) => options.filter?.test(row.where)) : rows;
  kept.sort((a, b) => sortKeys[options.sort](a, b) || a.where.localeCompare(b.where));
  return options.limit === undefined ? kept : kept.slice(0, options.limit);
}

/** Exact calls over the count pass (sum over all counted functions). */
export function totalCalls(profile: ProfileData): number {
  return profile.functions.reduce((sum, fn) => sum + (fn.calls ?? 0), 0);
}

/** Group key of folded rows: Node's internals fold into one row too. */
const NODE_GROUP = 'node:';

function groupOf(fn: ProfileFunction): string | undefined {
  if (fn.category === 'dependency' && fn.package) return fn.package;
  if (fn.category === 'node') return NODE_GROUP;
  return undefined;
}

function packageRow(name: string): PstatsRow {
  return {
    ncalls: null,
    tottimeMs: 0,
    tottimePerCallMs: null,
    cumtimeMs: 0,
    cumtimePerCallMs: null,
    where: name,
    category: name === NODE_GROUP ? 'node' : 'dependency',
    ...(name === NODE_GROUP ? {} : { package: name }),
    functions: 0,
  };
}

/** A group's inclusive time: its nodes with no ancestor in the same group (recursion counted once). */
function inclusiveByPackage(profile: ProfileData): Map<string, number> {
  const totals = new Map<string, number>();
  const groupAt = (index: number): string | undefined => {
    const fn = profile.functions[profile.nodes[index]?.fn ?? -1];
    return fn ? groupOf(fn) : undefined;
  };
  const outermost = (index: number, group: string): boolean => {
    for (let at = profile.nodes[index]?.parent ?? -1; at >= 0; at = profile.nodes[at]?.parent ?? -1) {
      if (groupAt(at) === group) return false;
    }
    return true;
  };
  profile.nodes.forEach((node, index) => {
    const group = groupAt(index);
    if (group && outermost(index, group)) totals.set(group, (totals.get(group) ?? 0) + node.totalMs);
  });
  return totals;
}

function perCall(ms: number, calls: number | null): number | null {
  return calls ? ms / calls : null;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** `filename:lineno(function)`; V8 pseudo-frames and natives as `~:0(name)` as pstats shows built-ins. */
export function where(fn: ProfileFunction, cwd?: string): string {
  if (fn.file === '') return `~:0(${fn.name})`;
  return `${relativeTo(fn.file, cwd)}:${fn.line}(${fn.name})`;
}

function relativeTo(file: string, cwd?: string): string {
  if (!cwd) return file;
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return file.startsWith(base) ? file.slice(base.length) : file;
}
