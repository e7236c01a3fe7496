/**
 * A call tree in flat typed arrays: what every chart draws (icicle, flame,
 * sunburst, sandwich halves, bottom-up, diff). Parents come before children;
 * children are sorted heaviest first; `x0` is each node's left edge as a
 * fraction of the root's total, so layouts cost nothing at draw time.
 */
export interface FlatTree {
  size: number;
  /** Function index (into the profile's functions) of each node. */
  fn: Int32Array;
  parent: Int32Array;
  depth: Int32Array;
  /** Inclusive and self weights (milliseconds, or ms per request in diffs). */
  total: Float64Array;
  self: Float64Array;
  /** Left edge in [0, 1] of the root's total. */
  x0: Float64Array;
  /** Children of node i: childList[childStart[i] .. childStart[i + 1]). */
  childStart: Int32Array;
  childList: Int32Array;
  maxDepth: number;
}

/** Builds a FlatTree from parallel arrays (parents before children; node 0 is the root). */
export function buildFlatTree(
  fn: ArrayLike<number>,
  parent: ArrayLike<number>,
  total: ArrayLike<number>,
  self: ArrayLike<number>,
): FlatTree {
  const size = fn.length;
  const tree: FlatTree = {
    size,
    fn: Int32Array.from(fn),
    parent: Int32Array.from(parent),
    depth: new Int32Array(size),
    total: Float64Array.from(total),
    self: Float64Array.from(self),
    x0: new Float64Array(size),
    childStart: new Int32Array(size + 1),
    childList: new Int32Array(Math.max(0, size - 1)),
    maxDepth: 0,
  };
  const counts = new Int32Array(size + 1);
  for (let i = 1; i < size; i++) counts[tree.parent[i]! + 1]!++;
  for (let i = 0; i < size; i++) tree.childStart[i + 1] = tree.childStart[i]! + counts[i + 1]!;
  for (let i = 1; i < size; i++) {
    const d = tree.depth[tree.parent[i]!]! + 1;
    tree.depth[i] = d;
    if (d > tree.maxDepth) tree.maxDepth = d;
  }
  // One sort of all nodes, heaviest first, then a stable fill: every parent's children come out sorted
  // (one typed-array sort instead of an array and a sort per parent).
  const order = new Uint32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  order.sort((a, b) => tree.total[b]! - tree.total[a]! || a - b);
  const fill = tree.childStart.slice(0, size);
  for (const i of order) {
    if (i === 0) continue;
    const p = tree.parent[i]!;
    tree.childList[fill[p]!++] = i;
  }
  const rootTotal = tree.total[0]! || 1;
  for (let i = 0; i < size; i++) {
    const start = tree.childStart[i]!;
    const end = tree.childStart[i + 1]!;
    // Parents come first, so x0[i] is final before its children are placed.
    let x = tree.x0[i]!;
    for (let c = start; c < end; c++) {
      const child = tree.childList[c]!;
      tree.x0[child] = x;
      x += tree.total[child]! / rootTotal;
    }
  }
  return tree;
}

/** Width of node i as a fraction of the root. */
export function widthOf(tree: FlatTree, i: number): number {
  return tree.total[i]! / (tree.total[0]! || 1);
}

/** Path from the root to node i, root first. */
export function pathTo(tree: FlatTree, i: number): number[] {
  const path: number[] = [];
  for (let n = i; n >= 0; n = tree.parent[n]!) path.push(n);
  return path.reverse();
}

/** Children of node i as an array (heaviest first). */
export function childrenOf(tree: FlatTree, i: number): number[] {
  return Array.from(tree.childList.subarray(tree.childStart[i]!, tree.childStart[i + 1]!));
}

/**
 * Incremental builder for derived trees (bottom-up, sandwich, diff): nodes are
 * found or added by (parent, key) and weights accumulated.
 */
export class TreeBuilder {
  readonly fn: number[] = [];
  readonly parent: number[] = [];
  readonly total: number[] = [];
  readonly self: number[] = [];
  // Numeric keys (parent * 2^22 + fn, exact below 2^53): string keys made a 50,000-node bottom-up tree take seconds.
  private readonly index = new Map<number, number>();

  constructor(rootFn: number) {
    this.add(-1, rootFn);
  }

  /** The child of `parent` for function `fn`, created on first use. */
  child(parent: number, fn: number): number {
    const key = parent * 4_194_304 + fn;
    const found = this.index.get(key);
    return found ?? this.add(parent, fn, key);
  }

  private add(parent: number, fn: number, key?: number): number {
    const id = this.fn.length;
    this.fn.push(fn);
    this.parent.push(parent);
    this.total.push(0);
    this.self.push(0);
    if (key !== undefined) this.index.set(key, id);
    return id;
  }

  build(): FlatTree {
    return buildFlatTree(this.fn, this.parent, this.total, this.self);
  }
}
