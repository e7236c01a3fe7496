/**
 * Which of a cluster's CPU profiles is the request's: every worker is
 * profiled (the profiler must run before the warm-up, when culprit cannot yet
 * know which worker its connection reaches), and the one that served the
 * timing pass is the one that spent the most samples outside `(idle)`.
 */
import type { RawCpuProfile } from './types.js';

function busySamples(profile: RawCpuProfile): number {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  let busy = 0;
  for (const id of profile.samples ?? []) if (!idle.has(id)) busy += 1;
  return busy;
}

/** The busiest profile; undefined when there is none. */
export function busiestProfile(profiles: readonly RawCpuProfile[]): RawCpuProfile | undefined {
  let best: RawCpuProfile | undefined;
  let bestBusy = -1;
  for (const profile of profiles) {
    const busy = busySamples(profile);
    if (busy > bestBusy) {
      best = profile;
      bestBusy = busy;
    }
  }
  return best;
}
