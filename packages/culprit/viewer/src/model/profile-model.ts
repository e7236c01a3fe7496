import type { ProfileFunction } from '../../../src/capture/types.js';
import type { EmbeddedCapture } from '../../../src/report/pack-nodes.js';
import { buildFlatTree, type FlatTree } from './flat-tree.js';

/** What the views read: the capture's functions plus the call tree in flat form and per-function indexes. */
export interface ProfileModel {
  functions: ProfileFunction[];
  tree: FlatTree;
  /** Nodes of each function that have no ancestor of the same function (so recursion counts once). */
  outerNodes: number[][];
  /** Sum of self time over the whole tree, ms. */
  totalMs: number;
  requestCount: number;
}

/** Flattens the capture's call tree and indexes it; undefined when the capture has no profile. */
export function makeProfileModel(capture: EmbeddedCapture): ProfileModel | undefined {
  const profile = capture.profile;
  if (!profile) return undefined;
  // Straight from the report's columns when present: no 50,000 node objects to make and read back.
  const packed = capture.packedNodes;
  const nodes = profile.nodes;
  if ((packed?.fn.length ?? nodes.length) === 0) return undefined;
  const tree = packed
    ? buildFlatTree(packed.fn, packed.parent, packed.totalMs, packed.selfMs)
    : buildFlatTree(
        nodes.map((n) => n.fn),
        nodes.map((n) => n.parent),
        nodes.map((n) => n.totalMs),
        nodes.map((n) => n.selfMs),
      );
  const outerNodes: number[][] = profile.functions.map(() => []);
  const onStack = new Int32Array(profile.functions.length);
  // Depth-first walk with an on-stack counter per function to find outermost occurrences;
  // entries are node + 1 on entry and -(node + 1) on exit, in one typed stack.
  const stack = new Int32Array(tree.size * 2 + 2);
  let top = 0;
  stack[top++] = 1;
  while (top > 0) {
    const entry = stack[--top]!;
    const node = Math.abs(entry) - 1;
    const f = tree.fn[node]!;
    if (entry < 0) {
      onStack[f]!--;
      continue;
    }
    if (onStack[f] === 0) outerNodes[f]!.push(node);
    onStack[f]!++;
    stack[top++] = -entry;
    for (let c = tree.childStart[node + 1]! - 1; c >= tree.childStart[node]!; c--)
      stack[top++] = tree.childList[c]! + 1;
  }
  return {
    functions: profile.functions,
    tree,
    outerNodes,
    totalMs: tree.total[0]!,
    requestCount: Math.max(1, profile.requestCount),
  };
}

/** Short location of a function: `file:line`, or '' for pseudo-frames. */
export function locationOf(fn: ProfileFunction | undefined): string {
  if (!fn?.file) return '';
  return fn.line > 0 ? `${fn.file}:${fn.line}` : fn.file;
}

/** Last path segment, for compact labels. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}
