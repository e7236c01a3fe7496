/**
 * Writes fixtures/profile-raw/workload.raw.json from a real in-process run:
 * `node --import tsx packages/culprit/src/profile/test-support/make-raw-fixture.ts`.
 * Keeps only the workload's script (so the file stays small) and renames its
 * URL to a stable one, so goldens do not depend on the checkout's path.
 */
import { writeFileSync } from 'node:fs';
import { CoverageIndex } from '../coverage-index.js';
import { lineStarts, positionAt } from '../source-positions.js';
import type { RawProfileFixture } from './raw-fixture.js';
import { rawFixtureDir } from './raw-fixture.js';
import { recordInProcess } from './record-in-process.js';
import { request } from './workload.mjs';

const RUNS = 5;
const STABLE_URL = 'file:///app/src/workload.mjs';
const raw = await recordInProcess(request, RUNS, 500);
const workloadUrl = new URL('./workload.mjs', import.meta.url).href;
const keep = new Set(
  raw.cpuProfile.nodes.filter((n) => n.callFrame.url === workloadUrl).map((n) => n.callFrame.scriptId),
);
for (const node of raw.cpuProfile.nodes) {
  const frame = node.callFrame;
  if (frame.url === workloadUrl) frame.url = STABLE_URL;
  else if (frame.url !== '') Object.assign(frame, { url: 'file:///app/src/harness.mjs', scriptId: '999' });
  delete node.positionTicks;
}
const fixture: RawProfileFixture = {
  cpuProfile: raw.cpuProfile,
  coverageTakes: raw.coverageTakes.map((take) =>
    take.filter((script) => keep.has(script.scriptId)).map((script) => ({ ...script, url: STABLE_URL })),
  ),
  sources: Object.fromEntries([...raw.sources].filter(([id]) => keep.has(id))),
  locations: {},
  sampleIntervalUs: 500,
  requestCount: RUNS,
  countedRequests: RUNS,
};
writeFileSync(new URL('workload.raw.json', rawFixtureDir), `${JSON.stringify(fixture)}\n`);

// The same run as if the workload were compiled TypeScript with `fib` in an
// npm package: exercises source-mapped locations and per-package folding.
const mappedTo: Record<string, { file: string; line: number; package?: string }> = {
  request: { file: '/app/src/api/views.ts', line: 40 },
  Row: { file: '/app/src/models/row.ts', line: 12 },
  fib: { file: '/app/node_modules/fastmath/lib/fib.ts', line: 3, package: 'fastmath' },
  spin: { file: '/app/node_modules/fastmath/lib/spin.ts', line: 9, package: 'fastmath' },
};
const locations: RawProfileFixture['locations'] = {};
const named = raw.cpuProfile.nodes.map(({ callFrame: f }) => ({ ...f, name: f.functionName }));
const source = fixture.sources[[...keep][0] ?? ''] ?? '';
for (const range of new CoverageIndex(fixture.coverageTakes).called()) {
  const at = positionAt(lineStarts(source), range.start);
  named.push({
    functionName: range.name,
    scriptId: range.scriptId,
    url: STABLE_URL,
    lineNumber: at.line,
    columnNumber: at.column,
    name: range.name,
  });
}
for (const f of named) {
  const target = mappedTo[f.name];
  if (f.url !== STABLE_URL || !target) continue;
  locations[`${f.url}:${f.lineNumber}:${f.columnNumber}`] = { ...target, column: 5, functionName: f.name };
}
writeFileSync(new URL('workload-mapped.raw.json', rawFixtureDir), `${JSON.stringify({ ...fixture, locations })}\n`);
console.log('wrote fixtures in', rawFixtureDir.pathname);
