import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../capture/types.js';
import { ranked } from './rank.js';

const FILE = '/app/src/dashboard.ts';
const endpoint = 'GET /dashboard';

function finding(rule: string, line: number, savesMs: number, extra: Partial<Finding> = {}): Finding {
  return {
    rule,
    severity: 'warning',
    title: `${rule} at ${line}`,
    impact: savesMs / 100,
    savesMs,
    endpoint,
    evidence: [],
    location: { file: FILE, line, column: 1 },
    ...extra,
  };
}

test('a slow statement among a sequence of awaits comes before the sequence it mostly explains', () => {
  // three awaits, the last a count over a whole table: overlapping saves the first two's time, fixing the
  // count saves nearly as much, and leaves the sequence little to save
  const sequence = finding('sequential-awaits', 18, 48, { relatedLines: [26, 31] });
  const count = finding('slow-query', 31, 46);
  assert.deepEqual(
    ranked([sequence, count], [], []).map((f) => f.rule),
    ['slow-query', 'sequential-awaits'],
  );
});

test('a sequence stays first beside a member that saves little of it, or a statement outside it', () => {
  const sequence = finding('sequential-awaits', 18, 90, { relatedLines: [26, 31] });
  const smallMember = finding('slow-query', 26, 20);
  const elsewhere = finding('slow-query', 60, 80);
  assert.deepEqual(
    ranked([smallMember, elsewhere, sequence], [], []).map((f) => `${f.rule}:${f.location?.line}`),
    ['sequential-awaits:18', 'slow-query:60', 'slow-query:26'],
  );
  // another endpoint's statement on the same line of a shared module is no member
  const otherEndpoint = finding('slow-query', 31, 85, { endpoint: 'GET /other' });
  assert.equal(ranked([otherEndpoint, sequence], [], [])[0]?.rule, 'sequential-awaits');
});

test('a warning member does not pass a critical sequence', () => {
  const sequence = finding('sequential-awaits', 18, 60, { relatedLines: [31], severity: 'critical' });
  const member = finding('slow-query', 31, 55);
  assert.equal(ranked([member, sequence], [], [])[0]?.rule, 'sequential-awaits');
});
