// A hot function whose time is a search through a list inside its own loop, inlined into it by V8: the
// callback's exact calls name the line to change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileData } from '../../capture/types.js';
import { diagnoseFully, rules } from '../diagnose.js';
import { refineLines } from '../refine-lines.js';
import { capture, profileFunction, request } from '../test-support/captures.js';

const FILE = '/app/src/recommend.ts';
const SOURCE = [
  "import type { Profile } from './taste.js';",
  '',
  'function similarity(a: Profile, b: Profile): number {',
  '  let dot = 0;',
  '  for (const mine of a.entries) {',
  '    const theirs = b.entries.find((e) => e.trackId === mine.trackId);',
  '    if (theirs) dot += mine.weight * theirs.weight;',
  '  }',
  '  return dot / (a.norm * b.norm);',
  '}',
  '',
  'export function nearest(all: Profile[], target: Profile): number[] {',
  '  return all.map((other) => similarity(target, other)).sort((x, y) => y - x);',
  '}',
].join('\n');

/**
 * (root) → nearest → similarity, whose self time holds the inlined .find and its callback; 2 counted requests.
 * `inlined`: similarity inlined into nearest too, so the samples charge nearest.
 */
function recommendProfile(callbackCalls: number, inlined = false): ProfileData {
  return {
    sampleIntervalUs: 1000,
    requestCount: 2,
    durationMs: 1200,
    countedRequests: 2,
    functions: [
      profileFunction('(root)', '', 0, 'root'),
      profileFunction('nearest', FILE, 12, 'app', { calls: 2 }),
      profileFunction('similarity', FILE, 3, 'app', { calls: 2_398, hotLine: 3 }),
      profileFunction('(anonymous recommend.ts:6)', FILE, 6, 'app', { calls: callbackCalls }),
      profileFunction('(anonymous recommend.ts:13)', FILE, 13, 'app', { calls: 2_398 }),
    ],
    nodes: [
      { fn: 0, parent: -1, selfSamples: 0, selfMs: 0, totalMs: 1060 },
      ...(inlined
        ? [{ fn: 1, parent: 0, selfSamples: 1056, selfMs: 1056, totalMs: 1060 }]
        : [
            { fn: 1, parent: 0, selfSamples: 10, selfMs: 10, totalMs: 1060 },
            { fn: 2, parent: 1, selfSamples: 1046, selfMs: 1046, totalMs: 1050 },
            { fn: 3, parent: 2, selfSamples: 4, selfMs: 4, totalMs: 4 },
          ]),
    ],
  };
}

function topOf(profile: ProfileData) {
  const traced = request({ wallMs: 560, cpuMs: 550, items: 20, bytes: 2_000 });
  const read = (file: string) => (file === FILE ? SOURCE : undefined);
  return refineLines(diagnoseFully(capture([traced], profile), rules, read).findings, read)[0];
}

test("a .find() through a list inside the hot function's loop: named at the search's line, with an index as the fix", () => {
  const top = topOf(recommendProfile(580_630_036));
  assert.equal(top?.rule, 'call-explosion');
  assert.equal(top?.location?.line, 6);
  assert.match(
    top?.title ?? '',
    /similarity \(\/app\/src\/recommend\.ts:3\) takes .* per request: the callback at line 6, a \.find\(\) through a list inside a loop, runs 290,315,018 times per request, 242,131 for each of its 1,199 calls/,
  );
  assert.match(
    top?.suggestion ?? '',
    /^Index the list once, before the loop \(a Map or Set keyed by what the callback compares\)/,
  );
});

test('the search in a helper V8 inlined into the hot function: still named at the search, with the helper', () => {
  const top = topOf(recommendProfile(580_630_036, true));
  assert.equal(top?.rule, 'call-explosion');
  assert.equal(top?.location?.line, 6);
  assert.match(
    top?.title ?? '',
    /nearest \(\/app\/src\/recommend\.ts:12\) takes .*: the callback at line 6, a \.find\(\) through a list inside a loop, runs 290,315,018 times per request, 242,131 for each of similarity's 1,199 calls \(inlined into nearest\)/,
  );
});

test('a callback called a few times per call of the hot function is not where its time goes', () => {
  const top = topOf(recommendProfile(2_398 * 3));
  assert.equal(top?.rule, 'hot-function');
  assert.equal(top?.location?.line, 3);
});
