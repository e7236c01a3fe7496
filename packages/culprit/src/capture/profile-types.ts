/**
 * The capture's profile (`Capture.profile`): its own file because the schema
 * outgrew one (types.ts re-exports it). Pure types, no `node:*` imports.
 */

/**
 * A profile: sampled time (CPU profile) joined with exact call counts
 * (precise coverage). Functions and nodes are flat arrays referencing each
 * other by index, which keeps large profiles compact and easy to diff.
 */
export interface ProfileData {
  /** Sampling interval used for the timing pass, microseconds. */
  sampleIntervalUs: number;
  /** Requests that ran during the timing pass (time figures cover all of them). */
  requestCount: number;
  /** Wall time covered by the samples, milliseconds. */
  durationMs: number;
  /** Requests that ran during the count pass (calls cover all of them); 0 when no count pass ran. */
  countedRequests: number;
  functions: ProfileFunction[];
  /** Call tree built from sampled stacks; `nodes[0]` is the root, parents come before children. */
  nodes: CallTreeNode[];
  /** Per-loop timings of the timing pass (timeit), milliseconds. */
  loopsMs?: number[];
  /**
   * Sample order of the timing pass, for exporters that show time order
   * (.cpuprofile, speedscope): `nodes[i]` is the leaf node of sample i and
   * `deltasUs[i]` how long it stood for, microseconds. Absent when not kept.
   */
  timeline?: { nodes: number[]; deltasUs: number[] };
}

export type FunctionCategory = 'app' | 'dependency' | 'node' | 'native' | 'gc' | 'idle' | 'program' | 'root';

export interface ProfileFunction {
  /** Function name; anonymous functions are named from their location (`(anonymous viewsets.ts:42)`). */
  name: string;
  /** Original file (source-mapped) or '' for V8 pseudo-frames. */
  file: string;
  /** 1-based line, 0 when unknown. */
  line: number;
  /** 1-based column, 0 when unknown. */
  column: number;
  category: FunctionCategory;
  /** npm package for `dependency` functions. */
  package?: string;
  /** Exact calls over the count pass; null when the count pass did not see this function. */
  calls: number | null;
  /** Self time over the timing pass, milliseconds (sum over its nodes). */
  selfMs: number;
  /** Inclusive time, milliseconds, counting recursion once per sample. */
  totalMs: number;
  /** The line with the most self samples (V8 position ticks), source-mapped; absent when unknown. */
  hotLine?: number;
}

export interface CallTreeNode {
  /** Index into `functions`. */
  fn: number;
  /** Index of the parent node; -1 for the root. */
  parent: number;
  /** Samples whose innermost frame is this node. */
  selfSamples: number;
  /** Self time in milliseconds (from sample time deltas). */
  selfMs: number;
  /** Inclusive time in milliseconds (self plus descendants). */
  totalMs: number;
}
