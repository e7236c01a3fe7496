/**
 * What one breakpoint hit costs on this machine, measured once at agent
 * start: a class constructed with a never-pausing breakpoint on it, against
 * an identical class without. It turns hit counts into the `overheadMs`
 * reported to the user (each hit is ≈0.1–0.2 ms on Node 20, condition false).
 */
import type { LogpointSpec } from '../../trace/log-spec.js';

/** Measured on Node 20 (DESIGN.md, V8 facts); used when calibration could not run. */
export const ESTIMATED_MS_PER_HIT = 0.18;
const ROUNDS = 100;
/** Batches per class; the fastest counts (a busy machine only ever adds time). */
const BATCHES = 3;

class CulpritBreakpointCalibration {
  constructor(readonly round: number) {}
}

class CulpritBreakpointBaseline {
  constructor(readonly round: number) {}
}

/** The spec the worker places (optionally) on the calibration class. */
export const calibrationSpec: LogpointSpec = {
  kind: 'log',
  text: '(culprit breakpoint calibration)',
  target: { kind: 'member', className: CulpritBreakpointCalibration.name, member: 'constructor' },
  expressions: [],
};

/** Milliseconds per hit: the fastest batch of constructions with the breakpoint, minus the fastest without. */
export function measureMsPerHit(): number {
  const time = (Class: new (round: number) => object) => {
    let fastest = Number.POSITIVE_INFINITY;
    for (let batch = 0; batch < BATCHES; batch += 1) {
      const kept: object[] = [];
      const started = performance.now();
      for (let round = 0; round < ROUNDS; round += 1) kept.push(new Class(round));
      fastest = Math.min(fastest, performance.now() - started);
    }
    return fastest;
  };
  time(CulpritBreakpointBaseline); // warm-up
  const baseline = time(CulpritBreakpointBaseline);
  const withBreakpoint = time(CulpritBreakpointCalibration);
  return Math.max(0, (withBreakpoint - baseline) / ROUNDS);
}
