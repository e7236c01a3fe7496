import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { buildProfile } from '../profile/build-profile.js';
import { assertGolden, rawFixtures } from '../profile/test-support/golden.js';
import { loadRawFixture } from '../profile/test-support/raw-fixture.js';
import { toCpuprofile } from './cpuprofile.js';
import { notCpu } from './pprof.js';
import { exporters } from './registry.js';
import { validateSpeedscope } from './test-support/speedscope-schema.js';

const meta = { name: 'GET /fixture' };

for (const fixture of rawFixtures()) {
  const profile = buildProfile(loadRawFixture(fixture.file));
  const busyMs = profile.nodes[0]!.totalMs;
  const sampleCount = profile.nodes.reduce((sum, node) => sum + node.selfSamples, 0);

  test(`${fixture.name}: collapsed stacks match golden and sum to the sample count`, () => {
    const text = exporters.collapsed.encode(profile, meta);
    assert.equal(typeof text, 'string');
    assertGolden(`${fixture.name}.collapsed.txt`, String(text));
    const total = String(text)
      .trim()
      .split('\n')
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    assert.equal(total, sampleCount);
  });

  test(`${fixture.name}: speedscope file matches golden and validates against the file-format schema`, () => {
    const text = String(exporters.speedscope.encode(profile, meta));
    assertGolden(`${fixture.name}.speedscope.golden`, text);
    const parsed: unknown = JSON.parse(text);
    assert.deepEqual(validateSpeedscope(parsed), []);
  });

  test(`${fixture.name}: .cpuprofile matches golden and reads back into the same profile`, () => {
    const text = String(exporters.cpuprofile.encode(profile, meta));
    assertGolden(`${fixture.name}.cpuprofile`, text);
    const again = buildProfile({
      cpuProfile: toCpuprofile(profile),
      coverageTakes: [],
      sources: new Map(),
      locations: new Map(),
      sampleIntervalUs: profile.sampleIntervalUs,
      requestCount: profile.requestCount,
      countedRequests: 0,
    });
    const selfByName = (p: typeof profile) =>
      Object.fromEntries(
        p.functions.filter((f) => f.selfMs > 0).map((f) => [`${f.name}@${f.file}:${f.line}`, f.selfMs]),
      );
    const before = selfByName(profile);
    const after = selfByName(again);
    assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
    for (const [key, ms] of Object.entries(before)) assert.ok(Math.abs((after[key] ?? 0) - ms) < 0.01, key);
  });

  test(`${fixture.name}: pprof decodes back with the same samples and time`, () => {
    const bytes = exporters.pprof.encode(profile, meta);
    assert.ok(bytes instanceof Uint8Array);
    const decoded = Profile.decode(gunzipSync(bytes));
    const strings = decoded.stringTable.strings;
    assert.deepEqual(
      decoded.sampleType.map((t) => `${strings[Number(t.type)]}/${strings[Number(t.unit)]}`),
      ['samples/count', 'cpu/nanoseconds'],
    );
    const count = decoded.sample.reduce((sum, s) => sum + Number(s.value[0]), 0);
    const ns = decoded.sample.reduce((sum, s) => sum + Number(s.value[1]), 0);
    // (idle) and (program) are not CPU: left out of pprof's samples
    const waiting = profile.nodes.filter((node) => notCpu(profile, node.fn));
    const waitingSamples = waiting.reduce((sum, node) => sum + node.selfSamples, 0);
    const waitingMs = waiting.reduce((sum, node) => sum + node.selfMs, 0);
    assert.equal(count, sampleCount - waitingSamples);
    assert.ok(Math.abs(ns / 1e6 - (busyMs - waitingMs)) < 0.5, `${ns / 1e6} ms vs ${busyMs - waitingMs} ms`);
    assert.ok(
      decoded.sample.every((s) => !notCpu(profile, Number(s.locationId[0]) - 1)),
      'no sample ends in (idle) or (program)',
    );
    const names = decoded.function.map((f) => strings[Number(f.name)]);
    assertGolden(`${fixture.name}.pprof-functions.txt`, `${[...new Set(names)].sort().join('\n')}\n`);
  });
}
