/**
 * The profile model builder: V8 CPU samples (time) + precise-coverage counts
 * (exact calls) + source-mapped locations → `ProfileData`.
 *
 * The call tree is rebuilt from the sampled stacks (never from caller edges),
 * so each path's time is what was really sampled on that path; a function's
 * total counts each sample once however deep it recurses. culprit's own frames
 * (driver wrappers, request channel subscribers, the module host) are left
 * out of the paths. Pure: the caller
 * gathers scripts' sources and mapped locations first.
 */
import type { CallTreeNode, ProfileData, ProfileFunction, SourceLocation } from '../capture/types.js';
import { isOwnFile } from '../own-code.js';
import type { RawCpuProfile, RawScriptCoverage } from '../target/types.js';
import { coverageIndexOf } from './coverage-index.js';
import { FunctionTable, generatedKey } from './function-table.js';
import { sampleWeightsMs } from './sample-weights.js';
import { lineStarts, positionAt } from './source-positions.js';

export { generatedKey } from './function-table.js';

export interface ProfileInputs {
  cpuProfile: RawCpuProfile;
  /** Takes of the count pass (one per request window, summed); empty when no count pass ran. */
  coverageTakes: ReadonlyArray<readonly RawScriptCoverage[]>;
  /** Script sources by scriptId, for the coverage join. */
  sources: ReadonlyMap<string, string>;
  /** Original locations keyed by `generatedKey(url, line, column)`; missing or null = unmapped. */
  locations: ReadonlyMap<string, SourceLocation | null>;
  sampleIntervalUs: number;
  requestCount: number;
  countedRequests: number;
  loopsMs?: number[];
  /** Keep the sample timeline (node per sample) for exporters that show time order. */
  keepTimeline?: boolean;
}

/** Self ticks of one function per generated line (1-based), and the generated line it starts on. */
interface FunctionTicks {
  firstLine: number;
  lines: Map<number, number>;
  url: string;
  scriptId: string;
}

/**
 * The generated position a tick's bare line is mapped at: its first non-blank column. A source map maps
 * positions, not lines, and a compiler may join or split a body's lines (tsc prints a call written over six
 * lines on three), so an offset from the function's first line drifts; the line's first token does not.
 */
export function tickColumn(starts: readonly number[], source: string, line: number): number {
  const start = starts[line] ?? 0;
  const end = starts[line + 1] ?? source.length;
  const text = source.slice(start, end);
  const column = text.search(/\S/);
  return Math.max(column, 0);
}

export interface GeneratedPosition {
  url: string;
  line: number;
  column: number;
}

/**
 * Generated positions to map through source maps before building: every
 * profile frame, and every function the count pass saw called (cProfile lists
 * functions too cheap to be sampled; so do we). Needs the counted scripts' sources.
 */
export function positionsToMap(
  profile: RawCpuProfile,
  coverageTakes: ReadonlyArray<readonly RawScriptCoverage[]>,
  sources: ReadonlyMap<string, string>,
): GeneratedPosition[] {
  const seen = new Map<string, GeneratedPosition>();
  const add = (url: string, line: number, column: number): void => {
    if (url !== '') seen.set(generatedKey(url, line, column), { url, line, column });
  };
  for (const { callFrame } of profile.nodes) add(callFrame.url, callFrame.lineNumber, callFrame.columnNumber);
  for (const { callFrame, positionTicks } of profile.nodes) {
    const source = sources.get(callFrame.scriptId);
    if (source === undefined || callFrame.url === '') continue;
    const lines = lineStarts(source);
    for (const tick of positionTicks ?? []) add(callFrame.url, tick.line - 1, tickColumn(lines, source, tick.line - 1));
  }
  for (const range of coverageIndexOf(coverageTakes).called()) {
    const source = sources.get(range.scriptId);
    if (source === undefined) continue;
    const at = positionAt(lineStarts(source), range.start);
    add(range.url, at.line, at.column);
  }
  return [...seen.values()];
}

/**
 * Scripts whose sources the builder needs: profiled frames' and counted functions', but not culprit's
 * own (the probe's bundles, ~220 KB read over the socket per diagnose): its frames are transparent in
 * the call tree and its calls are not the user's, so its functions are left without calls.
 */
export function scriptsToRead(
  profile: RawCpuProfile,
  coverageTakes: ReadonlyArray<readonly RawScriptCoverage[]>,
): string[] {
  const ids = new Set<string>();
  const own = new Map<string, boolean>();
  const add = (scriptId: string, url: string): void => {
    let skip = own.get(url);
    if (skip === undefined) {
      skip = url === '' || isOwnFile(url);
      own.set(url, skip);
    }
    if (!skip) ids.add(scriptId);
  };
  for (const { callFrame } of profile.nodes) add(callFrame.scriptId, callFrame.url);
  for (const range of coverageIndexOf(coverageTakes).called()) add(range.scriptId, range.url);
  return [...ids];
}

export function buildProfile(inputs: ProfileInputs): ProfileData {
  const functions = new FunctionTable(inputs);
  const v8 = new Map(inputs.cpuProfile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of inputs.cpuProfile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const rootId = inputs.cpuProfile.nodes.find((node) => !parentOf.has(node.id))?.id;

  // Our nodes merge V8 nodes that resolve to the same function on the same path.
  const nodes: CallTreeNode[] = [];
  const ours = new Map<number, number>();
  const childIndex = new Map<string, number>();
  const ticksByFunction = new Map<number, FunctionTicks>();
  const visit = (id: number, parent: number): void => {
    const node = v8.get(id);
    if (!node) return;
    const fn = functions.indexOf(node.callFrame);
    if (parent >= 0 && isProbeHook(functions.rows[fn], functions.rows[nodes[parent]!.fn])) {
      // culprit's hooks in the app's call path (e.g. a driver method wrapper) are transparent:
      // their time is the wrapped call's, which unwrapped would land on the caller.
      ours.set(id, parent);
      for (const child of node.children ?? []) visit(child, parent);
      return;
    }
    const key = `${parent}:${fn}`;
    let index = childIndex.get(key);
    if (index === undefined) {
      index = nodes.length;
      nodes.push({ fn, parent, selfSamples: 0, selfMs: 0, totalMs: 0 });
      childIndex.set(key, index);
    }
    ours.set(id, index);
    for (const tick of node.positionTicks ?? []) {
      const entry = ticksByFunction.get(fn) ?? {
        firstLine: node.callFrame.lineNumber + 1,
        lines: new Map<number, number>(),
        url: node.callFrame.url,
        scriptId: node.callFrame.scriptId,
      };
      entry.lines.set(tick.line, (entry.lines.get(tick.line) ?? 0) + tick.ticks);
      ticksByFunction.set(fn, entry);
    }
    for (const child of node.children ?? []) visit(child, index);
  };
  if (rootId !== undefined) visit(rootId, -1);

  const weights = sampleWeightsMs(inputs.cpuProfile);
  const samples = inputs.cpuProfile.samples ?? [];
  const table = functions.rows;
  const stamp = new Array<number>(table.length).fill(-1);
  const timeline: number[] = [];
  for (let i = 0; i < samples.length; i++) {
    const leaf = ours.get(samples[i] ?? -1);
    if (leaf === undefined) continue;
    const ms = weights[i] ?? 0;
    timeline.push(leaf);
    const leafNode = nodes[leaf]!;
    leafNode.selfSamples++;
    leafNode.selfMs += ms;
    table[leafNode.fn]!.selfMs += ms;
    for (let at = leaf; at >= 0; at = nodes[at]!.parent) {
      const node = nodes[at]!;
      node.totalMs += ms;
      // Recursion: a function on the stack several times counts once per sample.
      if (stamp[node.fn] !== i) {
        stamp[node.fn] = i;
        table[node.fn]!.totalMs += ms;
      }
    }
  }

  setHotLines(table, ticksByFunction, inputs);
  functions.addUnsampledCalled();
  for (const fn of table) {
    fn.selfMs = round(fn.selfMs);
    fn.totalMs = round(fn.totalMs);
  }
  for (const node of nodes) {
    node.selfMs = round(node.selfMs);
    node.totalMs = round(node.totalMs);
  }
  const data: ProfileData = {
    sampleIntervalUs: inputs.sampleIntervalUs,
    requestCount: inputs.requestCount,
    durationMs: round((inputs.cpuProfile.endTime - inputs.cpuProfile.startTime) / 1000),
    countedRequests: inputs.countedRequests,
    functions: table,
    nodes,
  };
  if (inputs.loopsMs) data.loopsMs = inputs.loopsMs;
  if (inputs.keepTimeline) {
    data.timeline = { nodes: timeline, deltasUs: weights.map((ms) => Math.round(ms * 1000)) };
  }
  return data;
}

/**
 * Each sampled function's line with the most self ticks, mapped through the
 * source map at the line's first token (positionsToMap asked for it); where
 * that position is unmapped or lands in another file, the tick keeps its
 * offset from the function's own first line, which maps exactly.
 */
function setHotLines(table: ProfileFunction[], ticks: Map<number, FunctionTicks>, inputs: ProfileInputs): void {
  for (const [fn, { firstLine, lines, url, scriptId }] of ticks) {
    const row = table[fn];
    if (!row || row.line === 0) continue;
    const source = inputs.sources.get(scriptId);
    // a tick past the script's last line is a position of a function V8 inlined from another script (a
    // library's predicate under the app's callback): no line of this file
    const lastLine = source === undefined ? Number.POSITIVE_INFINITY : lineStarts(source).length;
    let best: [number, number] | undefined;
    for (const entry of lines) if (entry[0] <= lastLine && (!best || entry[1] > best[1])) best = entry;
    if (!best || best[0] < firstLine) continue;
    let mapped: SourceLocation | null | undefined;
    if (source !== undefined) {
      const lineStartsOf = lineStarts(source);
      mapped = inputs.locations.get(generatedKey(url, best[0] - 1, tickColumn(lineStartsOf, source, best[0] - 1)));
    }
    row.hotLine =
      mapped && mapped.file === row.file && mapped.line >= row.line ? mapped.line : row.line + (best[0] - firstLine);
  }
}

/**
 * A frame of culprit's probe (or module host) anywhere below the root: a
 * driver wrapper the app calls, the request channels' subscribers Node's
 * HTTP code calls, the host that hands a request to the app. The user's
 * profile shows none of them; what runs under them (the app's handler, the
 * wrapped driver call) and their own few samples land on their caller.
 */
function isProbeHook(fn: ProfileFunction | undefined, caller: ProfileFunction | undefined): boolean {
  return fn?.category === 'dependency' && fn.package === 'culprit' && caller !== undefined;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
