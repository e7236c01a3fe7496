/**
 * pprof (gzipped protobuf, `go tool pprof`, Grafana Pyroscope), encoded with
 * Datadog's `pprof-format`. Two sample types: `samples/count` and
 * `cpu/nanoseconds`; one location per function (line = its first line).
 * Samples of V8's `(idle)` (the thread waited) and `(program)` (outside
 * JavaScript, mostly the loop's own work) are left out: pprof readers sum
 * every sample as CPU, and an I/O-bound request would read as busy.
 */
import { gzipSync } from 'node:zlib';
import { Line, Location, Function as PprofFunction, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import type { ProfileData } from '../capture/types.js';
import type { Exporter } from './registry.js';
import { stacksOf } from './stacks.js';

export function toPprof(profile: ProfileData): Profile {
  const strings = new StringTable();
  const functions = profile.functions.map(
    (fn, index) =>
      new PprofFunction({
        id: index + 1,
        name: strings.dedup(fn.name),
        systemName: strings.dedup(fn.name),
        filename: strings.dedup(fn.file),
        startLine: fn.line,
      }),
  );
  const locations = profile.functions.map(
    (fn, index) => new Location({ id: index + 1, line: [new Line({ functionId: index + 1, line: fn.line })] }),
  );
  const merged = new Map<string, { ids: number[]; count: number; ns: number }>();
  for (const stack of stacksOf(profile)) {
    if (stack.frames.length === 0) continue;
    if (notCpu(profile, stack.frames.at(-1))) continue;
    // pprof stacks are leaf first.
    const ids = stack.frames.map((fn) => fn + 1).reverse();
    const key = ids.join(',');
    const entry = merged.get(key) ?? { ids, count: 0, ns: 0 };
    entry.count += stack.samples;
    entry.ns += Math.round(stack.ms * 1e6);
    merged.set(key, entry);
  }
  const sample = [...merged.values()].map((s) => new Sample({ locationId: s.ids, value: [s.count, s.ns] }));
  const durationNs = Math.round(profile.durationMs * 1e6);
  return new Profile({
    sampleType: [
      new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }),
      new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    ],
    sample,
    location: locations,
    function: functions,
    stringTable: strings,
    durationNanos: durationNs,
    periodType: new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }),
    period: profile.sampleIntervalUs * 1000,
  });
}

/** Pseudo-frames that are not the process working (see the header). */
export function notCpu(profile: ProfileData, leaf: number | undefined): boolean {
  const category = leaf === undefined ? undefined : profile.functions[leaf]?.category;
  return category === 'idle' || category === 'program';
}

export const pprofExporter: Exporter = {
  description: 'pprof, gzipped protobuf (go tool pprof, Grafana Pyroscope)',
  extension: '.pb.gz',
  encode: (profile) => gzipSync(toPprof(profile).encode()),
};
