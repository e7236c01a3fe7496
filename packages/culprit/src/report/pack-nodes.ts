import type { CallTreeNode, Capture } from '../capture/types.js';

/**
 * Call-tree nodes as columns, times rounded to 0.1 µs: a third of the JSON of
 * an array of objects, so a 50,000-node report parses much sooner. Pure; the
 * viewer unpacks with the same module.
 */
export interface PackedNodes {
  fn: number[];
  parent: number[];
  selfSamples: number[];
  selfMs: number[];
  totalMs: number[];
}

/** A capture as embedded in the report: `profile.nodes` emptied, its content in `packedNodes`. */
export type EmbeddedCapture = Capture & { packedNodes?: PackedNodes };

const round = (ms: number): number => Math.round(ms * 10_000) / 10_000;

export function packCapture(capture: Capture): EmbeddedCapture {
  const profile = capture.profile;
  if (!profile) return capture;
  const nodes = profile.nodes;
  const packedNodes: PackedNodes = {
    fn: nodes.map((n) => n.fn),
    parent: nodes.map((n) => n.parent),
    selfSamples: nodes.map((n) => n.selfSamples),
    selfMs: nodes.map((n) => round(n.selfMs)),
    totalMs: nodes.map((n) => round(n.totalMs)),
  };
  return { ...capture, profile: { ...profile, nodes: [] }, packedNodes };
}

/** The capture with `profile.nodes` rebuilt from the columns (which are dropped). */
export function unpackCapture(embedded: EmbeddedCapture): Capture {
  const { packedNodes: packed, ...capture } = embedded;
  if (!packed || !capture.profile) return capture;
  const nodes: CallTreeNode[] = new Array(packed.fn.length);
  for (let i = 0; i < nodes.length; i++) {
    nodes[i] = {
      fn: packed.fn[i] ?? 0,
      parent: packed.parent[i] ?? -1,
      selfSamples: packed.selfSamples[i] ?? 0,
      selfMs: packed.selfMs[i] ?? 0,
      totalMs: packed.totalMs[i] ?? 0,
    };
  }
  capture.profile = { ...capture.profile, nodes };
  return capture;
}
