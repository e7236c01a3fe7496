import type { Capture, ProfileFunction } from '../../../src/capture/types.js';
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
export function makeProfileModel(capture: Capture): ProfileModel | undefined {
  const profile = capture.profile;
  if (!profile || profile.nodes.length === 0) return undefined;
  const nodes = profile.nodes;
  const tree = buildFlatTree(
    nodes.map((n) => n.fn),
    nodes.map((n) => n.parent),
    nodes.map((n) => n.totalMs),
    nodes.map((n) => n.selfMs),
  );
  const outerNodes: number[][] = profile.functions.map(() => []);
  const onStack = new Int32Array(profile.functions.length);
  // Depth-first walk with an on-stack counter per function to find outermost occurrences.
  const stack: Array<{ node: number; exit: boolean }> = [{ node: 0, exit: false }];
  while (stack.length > 0) {
    const { node, exit } = stack.pop()!;
    const f = tree.fn[node]!;
    if (exit) {
      onStack[f]!--;
      continue;
    }
    if (onStack[f] === 0) outerNodes[f]!.push(node);
    onStack[f]!++;
    stack.push({ node, exit: true });
    for (let c = tree.childStart[node + 1]! - 1; c >= tree.childStart[node]!; c--) {
      stack.push({ node: tree.childList[c]!, exit: false });
    }
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
