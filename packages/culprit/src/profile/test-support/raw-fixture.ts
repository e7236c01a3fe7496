/**
 * Saved raw V8 inputs (fixtures/profile-raw/*.raw.json) for golden tests:
 * the exact arguments of `buildProfile`, as JSON.
 */
import { readFileSync } from 'node:fs';
import type { SourceLocation } from '../../capture/types.js';
import type { RawCpuProfile, RawScriptCoverage } from '../../target/types.js';
import type { ProfileInputs } from '../build-profile.js';

export interface RawProfileFixture {
  cpuProfile: RawCpuProfile;
  coverageTakes: RawScriptCoverage[][];
  sources: Record<string, string>;
  locations: Record<string, SourceLocation | null>;
  sampleIntervalUs: number;
  requestCount: number;
  countedRequests: number;
  loopsMs?: number[];
}

export const rawFixtureDir = new URL('../../../../../fixtures/profile-raw/', import.meta.url);

export function loadRawFixture(file: URL): ProfileInputs {
  // Test data written by make-raw-fixture.ts; its shape is this interface.
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawProfileFixture;
  return {
    ...raw,
    sources: new Map(Object.entries(raw.sources)),
    locations: new Map(Object.entries(raw.locations)),
    keepTimeline: true,
  };
}
