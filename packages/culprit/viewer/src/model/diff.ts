import type { Capture, ProfileFunction } from '../../../src/capture/types.js';
import { type FlatTree, TreeBuilder } from './flat-tree.js';

/** A before/after pair merged into one tree keyed by call path of function identities. */
export interface DiffModel {
  functions: ProfileFunction[];
  /** Shaped by the chosen side; weights are ms per request. */
  tree: FlatTree;
  /** Per node of `tree`: inclusive ms per request before and after. */
  before: Float64Array;
  after: Float64Array;
  /** Per function: self/total ms per request and calls, both sides. */
  rows: DiffRow[];
}

export interface DiffRow {
  fn: number;
  selfBefore: number;
  selfAfter: number;
  totalBefore: number;
  totalAfter: number;
  callsBefore: number | null;
  callsAfter: number | null;
}

const keyOf = (f: ProfileFunction): string => `${f.name}\u0000${f.file}\u0000${f.line}`;

/** Merges both profiles; `shape` picks whose widths the flame graph shows (colour always shows the change). */
export function buildDiff(before: Capture, after: Capture, shape: 'before' | 'after'): DiffModel | undefined {
  const a = before.profile;
  const b = after.profile;
  if (!a || !b || a.nodes.length === 0 || b.nodes.length === 0) return undefined;
  const functions: ProfileFunction[] = [];
  const ids = new Map<string, number>();
  const rows: DiffRow[] = [];
  const idOf = (f: ProfileFunction): number => {
    const key = keyOf(f);
    let id = ids.get(key);
    if (id === undefined) {
      id = functions.length;
      ids.set(key, id);
      functions.push(f);
      rows.push({
        fn: id,
        selfBefore: 0,
        selfAfter: 0,
        totalBefore: 0,
        totalAfter: 0,
        callsBefore: null,
        callsAfter: null,
      });
    }
    return id;
  };
  const perA = 1 / Math.max(1, a.requestCount);
  const perB = 1 / Math.max(1, b.requestCount);
  const builder = new TreeBuilder(idOf(b.functions[b.nodes[0]!.fn]!));
  const sides: number[][] = [[], []];
  const addSide = (side: 0 | 1, profile: typeof a, scale: number): void => {
    const fnIds = profile.functions.map((f) => idOf(f));
    profile.functions.forEach((f, i) => {
      const row = rows[fnIds[i]!]!;
      if (side === 0) {
        row.selfBefore += f.selfMs * scale;
        row.totalBefore += f.totalMs * scale;
        row.callsBefore = f.calls === null ? row.callsBefore : (row.callsBefore ?? 0) + f.calls;
      } else {
        row.selfAfter += f.selfMs * scale;
        row.totalAfter += f.totalMs * scale;
        row.callsAfter = f.calls === null ? row.callsAfter : (row.callsAfter ?? 0) + f.calls;
      }
    });
    const mapped = new Int32Array(profile.nodes.length);
    profile.nodes.forEach((node, i) => {
      const at = i === 0 ? 0 : builder.child(mapped[node.parent]!, fnIds[node.fn]!);
      mapped[i] = at;
      const arr = sides[side]!;
      while (arr.length <= at) arr.push(0);
      arr[at]! += node.totalMs * scale;
      if (side === (shape === 'before' ? 0 : 1)) {
        builder.total[at]! += node.totalMs * scale;
        builder.self[at]! += node.selfMs * scale;
      }
    });
  };
  addSide(0, a, perA);
  addSide(1, b, perB);
  const tree = builder.build();
  const pick = (arr: number[]): Float64Array => Float64Array.from({ length: tree.size }, (_, i) => arr[i] ?? 0);
  return { functions, tree, before: pick(sides[0]!), after: pick(sides[1]!), rows };
}
