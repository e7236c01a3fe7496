import type { CallTreeNode, Capture, ProfileData } from '../capture/types.js';
import { groupDigits } from '../group-digits.js';

/** Above this many call-tree nodes the report merges the smallest frames (measured: 50,000 open in well under 1 s). */
export const MAX_REPORT_NODES = 100_000;

/** Name of the synthetic function that stands for merged small frames. */
export const MERGED_FRAME_NAME = '(merged small frames)';

/**
 * Keeps the `limit` heaviest call-tree nodes and folds every other subtree
 * into one `(merged small frames)` child of its kept parent, so time still
 * adds up. Pure; returns the capture unchanged when it is small enough, else a
 * copy with a note saying what was merged.
 */
export function reduceCapture(capture: Capture, limit = MAX_REPORT_NODES): Capture {
  const profile = capture.profile;
  if (!profile || profile.nodes.length <= limit) return capture;
  const reduced = reduceProfile(profile, limit);
  const note = `Profile reduced for display: ${groupDigits(profile.nodes.length)} call-tree nodes → ${groupDigits(reduced.nodes.length)}; frames under ${reduced.cutoffMs.toPrecision(2)} ms merged into "${MERGED_FRAME_NAME}".`;
  return { ...capture, profile: reduced.profile, notes: [...(capture.notes ?? []), note] };
}

function reduceProfile(
  profile: ProfileData,
  limit: number,
): { profile: ProfileData; nodes: CallTreeNode[]; cutoffMs: number } {
  const { nodes } = profile;
  // A child never outweighs its parent, so the heaviest `limit` nodes (ties by index) form a connected tree.
  const order = nodes.map((_, i) => i).sort((a, b) => nodes[b]!.totalMs - nodes[a]!.totalMs || a - b);
  const keep = new Uint8Array(nodes.length);
  // Each kept node with dropped children gains one merged child: find the most nodes to keep within the limit.
  const keepTop = (k: number): number => {
    keep.fill(0);
    for (let r = 0; r < k; r++) keep[order[r]!] = 1;
    keep[0] = 1;
    const hasMerged = new Uint8Array(nodes.length);
    let merged = 0;
    for (let i = 1; i < nodes.length; i++) {
      const p = nodes[i]!.parent;
      if (!keep[i] && keep[p] && !hasMerged[p]) {
        hasMerged[p] = 1;
        merged++;
      }
    }
    return k + merged;
  };
  let lo = 1;
  let hi = limit;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (keepTop(mid) <= limit) lo = mid;
    else hi = mid - 1;
  }
  const budget = lo;
  keepTop(budget);
  const cutoffMs = nodes[order[budget - 1] ?? 0]?.totalMs ?? 0;
  const mergedFn = profile.functions.length;
  const functions = [
    ...profile.functions,
    {
      name: MERGED_FRAME_NAME,
      file: '',
      line: 0,
      column: 0,
      category: 'program' as const,
      calls: null,
      selfMs: 0,
      totalMs: 0,
    },
  ];
  const newIndex = new Int32Array(nodes.length).fill(-1);
  const mergedInto = new Int32Array(nodes.length).fill(-1);
  const mergedOf = new Map<number, number>(); // kept parent (new index) → its merged child (new index)
  const out: CallTreeNode[] = [];
  nodes.forEach((node, i) => {
    if (keep[i]) {
      newIndex[i] = out.length;
      out.push({ ...node, parent: i === 0 ? -1 : newIndex[node.parent]! });
      return;
    }
    const keptParent = newIndex[node.parent] ?? -1;
    if (keptParent < 0) {
      // Inside a subtree merged higher up: its time is already in that node's total; only count its samples.
      mergedInto[i] = mergedInto[node.parent]!;
      out[mergedInto[i]!]!.selfSamples += node.selfSamples;
      return;
    }
    let merged = mergedOf.get(keptParent);
    if (merged === undefined) {
      merged = out.length;
      mergedOf.set(keptParent, merged);
      out.push({ fn: mergedFn, parent: keptParent, selfSamples: 0, selfMs: 0, totalMs: 0 });
    }
    const target = out[merged]!;
    target.totalMs += node.totalMs;
    target.selfMs += node.totalMs;
    target.selfSamples += node.selfSamples;
    mergedInto[i] = merged;
    functions[mergedFn]!.selfMs += node.totalMs;
  });
  return { profile: { ...profile, functions, nodes: out }, nodes: out, cutoffMs };
}
