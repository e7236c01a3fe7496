/**
 * A profile built from a hand-written V8 call tree sampled once per
 * millisecond, for tests of what the model and exporters make of it.
 */

import type { RawCpuProfile } from '../../target/types.js';
import { buildProfile } from '../build-profile.js';

type RawNode = RawCpuProfile['nodes'][number];

/** A V8 call frame: built-in when `url` is empty. */
export function frame(functionName: string, url = '', lineNumber = 0): RawNode['callFrame'] {
  return { functionName, scriptId: url ? '1' : '0', url, lineNumber, columnNumber: 0 };
}

/** `samples` are node ids, one per millisecond; one request, no count pass. */
export function sampledProfile(nodes: RawNode[], samples: number[]) {
  return buildProfile({
    cpuProfile: {
      nodes,
      startTime: 0,
      endTime: samples.length * 1000,
      samples,
      timeDeltas: samples.map((_, i) => (i === 0 ? 0 : 1000)),
    },
    coverageTakes: [],
    sources: new Map(),
    locations: new Map(),
    sampleIntervalUs: 1000,
    requestCount: 1,
    countedRequests: 0,
  });
}
