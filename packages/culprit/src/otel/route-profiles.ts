/**
 * One interval's CPU profile → one profile per route, by when each request
 * ran: a sample taken while requests of a single route were in flight is
 * that route's; a sample while requests of several routes overlapped, or
 * none, stays unlabelled (its stack cannot say which request it served).
 * Each part goes through the same model builder and pprof exporter as
 * `culprit profile`. Pure; runs in the export worker.
 */
import type { ProfileData } from '../capture/types.js';
import { buildProfile } from '../profile/build-profile.js';
import { sampleWeightsMs } from '../profile/sample-weights.js';
import type { RawCpuProfile } from '../target/types.js';

export interface RouteWindowsInput {
  /** `[startUs, endUs, routeIndex]` triples on the profile's clock. */
  windows: Float64Array;
  /** `METHOD route` per index. */
  routes: readonly string[];
}

export interface RouteProfile {
  /** `METHOD route`, or undefined for the unlabelled samples. */
  route: string | undefined;
  /** Requests of that route that finished in the interval. */
  requests: number;
  profile: ProfileData;
}

/** Several intervals' windows as one input (each interval numbers its routes on its own). */
export function mergeWindows(inputs: readonly RouteWindowsInput[]): RouteWindowsInput {
  const routes: string[] = [];
  const index = new Map<string, number>();
  const size = inputs.reduce((sum, input) => sum + input.windows.length, 0);
  const windows = new Float64Array(size);
  let at = 0;
  for (const input of inputs) {
    for (let w = 0; w < input.windows.length; w += 3) {
      const name = input.routes[input.windows[w + 2] ?? -1];
      let route = -1;
      if (name !== undefined) {
        route = index.get(name) ?? routes.length;
        if (route === routes.length) {
          routes.push(name);
          index.set(name, route);
        }
      }
      windows[at++] = input.windows[w] ?? 0;
      windows[at++] = input.windows[w + 1] ?? 0;
      windows[at++] = route;
    }
  }
  return { windows, routes };
}

/** Route index per sample (-1: none or several), by a sweep over windows sorted by start. */
export function routeOfSamples(profile: RawCpuProfile, input: RouteWindowsInput): Int32Array {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const order = Array.from({ length: input.windows.length / 3 }, (_, i) => i).sort(
    (a, b) => (input.windows[a * 3] ?? 0) - (input.windows[b * 3] ?? 0),
  );
  const result = new Int32Array(samples.length).fill(-1);
  let active: number[] = [];
  let next = 0;
  let clock = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    clock += deltas[i] ?? 0;
    while (next < order.length && (input.windows[(order[next] ?? 0) * 3] ?? 0) <= clock)
      active.push(order[next++] ?? 0);
    active = active.filter((w) => (input.windows[w * 3 + 1] ?? 0) >= clock);
    let route = -1;
    for (const w of active) {
      const r = input.windows[w * 3 + 2] ?? -1;
      if (route === -1) route = r;
      else if (route !== r) {
        route = -1;
        break;
      }
    }
    result[i] = route;
  }
  return result;
}

/** The samples of one group as a profile of their own, each keeping the time it stood for. */
function subset(profile: RawCpuProfile, picked: number[], weightsMs: number[]): RawCpuProfile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let previousUs = 0;
  let totalUs = 0;
  for (const i of picked) {
    samples.push(profile.samples?.[i] ?? 0);
    // V8's delta is the gap before a sample; sample k then lasts until sample k+1 (sample-weights.ts)
    timeDeltas.push(previousUs);
    previousUs = Math.round((weightsMs[i] ?? 0) * 1000);
    totalUs += previousUs;
  }
  return { nodes: profile.nodes, startTime: 0, endTime: totalUs, samples, timeDeltas };
}

export function profilesByRoute(
  profile: RawCpuProfile,
  input: RouteWindowsInput,
  sampleIntervalUs: number,
): RouteProfile[] {
  const routeOf = routeOfSamples(profile, input);
  const groups = new Map<number, number[]>();
  routeOf.forEach((route, i) => {
    const group = groups.get(route);
    if (group) group.push(i);
    else groups.set(route, [i]);
  });
  const requests = new Map<number, number>();
  for (let w = 2; w < input.windows.length; w += 3) {
    const route = input.windows[w] ?? -1;
    requests.set(route, (requests.get(route) ?? 0) + 1);
  }
  const weights = sampleWeightsMs(profile);
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  return [...groups].map(([route, picked]) => {
    const data = buildProfile({
      cpuProfile: subset(profile, picked, weights),
      coverageTakes: [],
      sources: new Map(),
      locations: new Map(),
      sampleIntervalUs,
      requestCount: requests.get(route) ?? 0,
      countedRequests: 0,
    });
    return {
      route: input.routes[route],
      requests: requests.get(route) ?? 0,
      profile: { ...data, durationMs },
    };
  });
}
