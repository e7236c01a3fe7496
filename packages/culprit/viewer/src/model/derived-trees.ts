import { type FlatTree, TreeBuilder } from './flat-tree.js';
import type { ProfileModel } from './profile-model.js';

/**
 * Bottom-up (inverted) tree: roots are the functions where time was spent
 * (self time), children are their callers. Finds hot leaves called from many places.
 */
export function buildBottomUp(model: ProfileModel): FlatTree {
  const { tree } = model;
  const builder = new TreeBuilder(tree.fn[0]!);
  for (let i = 1; i < tree.size; i++) {
    const self = tree.self[i]!;
    if (self <= 0) continue;
    builder.total[0]! += self;
    let at = 0;
    for (let n = i; n > 0; n = tree.parent[n]!) {
      at = builder.child(at, tree.fn[n]!);
      builder.total[at]! += self;
    }
    builder.self[at]! += self;
  }
  return builder.build();
}

/** The two halves of a sandwich: who calls `fn` (inverted) and what `fn` calls, merged over its call sites. */
export interface Sandwich {
  callers: FlatTree;
  callees: FlatTree;
}

/** Builds the sandwich of one function; recursion is counted once (outermost occurrences). */
export function buildSandwich(model: ProfileModel, fn: number): Sandwich {
  const { tree } = model;
  const callers = new TreeBuilder(fn);
  const callees = new TreeBuilder(fn);
  for (const node of model.outerNodes[fn] ?? []) {
    const weight = tree.total[node]!;
    callers.total[0]! += weight;
    let at = 0;
    for (let n = tree.parent[node]!; n >= 0; n = tree.parent[n]!) {
      at = callers.child(at, tree.fn[n]!);
      callers.total[at]! += weight;
    }
    callees.total[0]! += weight;
    callees.self[0]! += tree.self[node]!;
    mergeSubtree(tree, node, callees, 0);
  }
  return { callers: callers.build(), callees: callees.build() };
}

function mergeSubtree(tree: FlatTree, node: number, into: TreeBuilder, at: number): void {
  const stack: Array<[number, number]> = [[node, at]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    for (let c = tree.childStart[from]!; c < tree.childStart[from + 1]!; c++) {
      const child = tree.childList[c]!;
      const target = into.child(to, tree.fn[child]!);
      into.total[target]! += tree.total[child]!;
      into.self[target]! += tree.self[child]!;
      stack.push([child, target]);
    }
  }
}
