/**
 * Time each CPU sample stands for, in milliseconds.
 *
 * V8's `timeDeltas[i]` is the gap *before* sample i; the sample itself lasts
 * until the next one (as in Chrome DevTools), the last one until `endTime`.
 */
import type { RawCpuProfile } from '../target/types.js';

export function sampleWeightsMs(profile: RawCpuProfile): number[] {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const stamps: number[] = [];
  let clock = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    clock += deltas[i] ?? 0;
    stamps.push(clock);
  }
  const weights: number[] = [];
  for (let i = 0; i < stamps.length; i++) {
    const next = i + 1 < stamps.length ? (stamps[i + 1] ?? clock) : Math.max(profile.endTime, clock);
    weights.push(Math.max(0, next - (stamps[i] ?? clock)) / 1000);
  }
  return weights;
}
