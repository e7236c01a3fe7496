// A hot function that reads a file and builds from it on every request: the call that repeats it is the line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { refineLines } from '../refine-lines.js';
import { capture, request } from '../test-support/captures.js';

const PRICING = [
  "const fs = require('node:fs');",
  '',
  'function loadPricing() {',
  "  const config = JSON.parse(fs.readFileSync(CONFIG_PATH, 'utf8'));",
  '  return { products: new Map(config.products.map((p) => [p.sku, p])) };',
  '}',
  '',
  'function quote(sku) {',
  '  const pricing = loadPricing();',
  '  return pricing.products.get(sku);',
  '}',
].join('\n');

/** (root) → express's handle → quote → loadPricing → readFileSync, over 2 requests; `calls` for loadPricing. */
function pricingProfile(calls: number, readMs: number): ProfileData {
  const fn = (
    name: string,
    file: string,
    line: number,
    category: 'app' | 'node' | 'dependency' | 'root',
    n: number | null,
  ) => ({
    name,
    file,
    line,
    column: 1,
    category,
    calls: n,
    selfMs: 0,
    totalMs: 0,
    ...(category === 'dependency' ? { package: 'express' } : {}),
  });
  return {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 300,
    countedRequests: 2,
    functions: [
      fn('(root)', '', 0, 'root', null),
      fn('handle', '/app/node_modules/express/lib/router/layer.js', 86, 'dependency', null),
      fn('quote', '/app/src/pricing.js', 8, 'app', 2),
      fn('loadPricing', '/app/src/pricing.js', 3, 'app', calls),
      fn('readFileSync', 'node:fs', 440, 'node', null),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 250 + readMs },
      { fn: 1, parent: 0, selfSamples: 0, selfMs: 0, totalMs: 250 + readMs },
      { fn: 2, parent: 1, selfSamples: 2, selfMs: 2, totalMs: 250 + readMs },
      { fn: 3, parent: 2, selfSamples: 248, selfMs: 248, totalMs: 248 + readMs },
      { fn: 4, parent: 3, selfSamples: readMs, selfMs: readMs, totalMs: readMs },
    ],
  };
}

function findingsOf(profile: ProfileData) {
  const traced = request({ wallMs: 140, cpuMs: 135, items: 1, bytes: 200 });
  // as `culprit diagnose` does: the rules, then the lines the sources tell apart
  return refineLines(diagnoseFully(capture([traced], profile), rules, () => PRICING).findings, () => PRICING);
}

test('a function called once per request that reads a file and parses it names the call in its caller', () => {
  const [top] = findingsOf(pricingProfile(2, 30));
  assert.equal(top?.rule, 'reloaded-per-request');
  assert.deepEqual([top?.location?.file, top?.location?.line], ['/app/src/pricing.js', 9]);
  assert.match(
    top?.title ?? '',
    /loadPricing \(\/app\/src\/pricing\.js:3\) reads and rebuilds its data on every request, called at \/app\/src\/pricing\.js:9/,
  );
  assert.match(top?.suggestion ?? '', /Load it once/);
});

test('reading nothing, or called many times per request, it stays a hot function at its own line', () => {
  const [noRead] = findingsOf(pricingProfile(2, 0));
  assert.equal(noRead?.rule, 'hot-function');
  assert.equal(noRead?.location?.line, 3);
  const [loop] = findingsOf(pricingProfile(1200, 30));
  assert.notEqual(loop?.rule, 'reloaded-per-request');
});

test("an anonymous function's CPU in a library's call: its place said once, and no advice meant for Node's sync calls", () => {
  const fn = (name: string, file: string, line: number, category: 'app' | 'dependency' | 'root', pkg?: string) => ({
    name,
    file,
    line,
    column: 1,
    category,
    calls: category === 'app' ? 2 : null,
    selfMs: 0,
    totalMs: 0,
    ...(pkg ? { package: pkg } : {}),
  });
  const profile: ProfileData = {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 300,
    countedRequests: 2,
    functions: [
      fn('(root)', '', 0, 'root'),
      fn('handle', '/app/node_modules/express/lib/router/layer.js', 86, 'dependency', 'express'),
      fn('(anonymous orders.service.ts:26)', '/app/src/orders.service.ts', 26, 'app'),
      fn('findOne', '/app/node_modules/typeorm/repository/Repository.js', 120, 'dependency', 'typeorm'),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 120 },
      { fn: 1, parent: 0, selfSamples: 0, selfMs: 0, totalMs: 120 },
      { fn: 2, parent: 1, selfSamples: 10, selfMs: 10, totalMs: 120 },
      { fn: 3, parent: 2, selfSamples: 110, selfMs: 110, totalMs: 110 },
    ],
  };
  const traced = request({ wallMs: 140, cpuMs: 80, items: 1, bytes: 200 });
  const [top] = diagnoseFully(capture([traced], profile), rules).findings;
  assert.equal(top?.rule, 'library-call');
  assert.match(top?.title ?? '', /the function at \/app\/src\/orders\.service\.ts:26 spends/);
  assert.doesNotMatch(top?.title ?? '', /\(anonymous/);
  assert.doesNotMatch(top?.suggestion ?? '', /asynchronous form/);
});
