// The matchers called as Vitest and Jest call them (this = matcher context,
// then received and arguments), and once in a real Vitest run and a real Jest run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Measurement } from './in-process/to-measurement.js';
import { budgetMatchers } from './matchers.js';

const measured: Measurement = {
  value: undefined,
  wallMs: 3,
  cpuMs: 3,
  blockingMs: 0,
  overlapped: false,
  constructionsCounted: false,
  items: 2,
  queries: Array.from({ length: 3 }, () => ({
    driver: 'pg',
    sql: 'SELECT * FROM tag WHERE post_id = ?',
    durationMs: 1,
    rows: 4,
    location: { file: '/app/src/posts.ts', line: 31, column: 9 },
  })),
  constructions: [],
  httpCalls: [],
  redisCalls: [],
  label: 'GET /posts',
};

test('toStayWithin passes within the budget and fails with the line and statement otherwise', () => {
  assert.equal(budgetMatchers.toStayWithin.call({}, measured, { queries: 3 }).pass, true);
  const failed = budgetMatchers.toStayWithin.call({}, measured, { repeatedQueries: 1, maxRowsPerItem: 5 });
  assert.equal(failed.pass, false);
  assert.equal(
    failed.message(),
    [
      'GET /posts broke its performance budget:',
      '  repeated query: 3 times at /app/src/posts.ts:31 (budget 1)',
      '    SELECT * FROM tag WHERE post_id = ?',
      '  rows per item (2 items): 6 (budget 5)',
      '  largest query: 4 rows from /app/src/posts.ts:31',
    ].join('\n'),
  );
  const negated = budgetMatchers.toStayWithin.call({ isNot: true }, measured, { queries: 3 });
  assert.match(negated.message(), /GET \/posts stayed within \{"queries":3\}, expected it not to/);
});

test('wrong input is named: not a measurement, or a budget field that does not exist', () => {
  assert.match(
    budgetMatchers.toStayWithin.call({}, { status: 200 }, {}).message(),
    /expects what culprit's measure\(\) returned/,
  );
  const typo = budgetMatchers.toStayWithin.call({}, measured, { querys: 1 } as never);
  assert.equal(typo.pass, false);
  assert.match(typo.message(), /budget with fields among queries, repeatedQueries, rows/);
});

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const vitest = `${root}node_modules/vitest/vitest.mjs`;

test('in a real Vitest run: culprit/budget/vitest registers both matchers', {
  skip: !existsSync(vitest) && 'vitest is not installed',
}, async () => {
  const config = fileURLToPath(new URL('test-support/vitest-project/vitest.config.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [vitest, 'run', '--config', config], {
    cwd: root,
    env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, // CI: the committed snapshot must match, never be written
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`vitest failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  assert.match(stdout, /Tests\s+3 passed \(3\)/);
});

test("culprit/budget/jest registers both matchers with Jest's global expect", async () => {
  const registered: string[] = [];
  const global = globalThis as { expect?: unknown };
  global.expect = { extend: (matchers: Record<string, unknown>) => registered.push(...Object.keys(matchers)) };
  try {
    await import('./jest.js');
  } finally {
    delete global.expect;
  }
  assert.deepEqual(registered, ['toStayWithin', 'toMatchQuerySnapshot']);
});

const jest = `${root}node_modules/jest/bin/jest.js`;
const built = fileURLToPath(new URL('../../dist/budget/index.js', import.meta.url));

// Jest loads CommonJS files through its own loader and gives each test file its own copy of culprit:
// queries are recorded all the same, and a driver measure() cannot have seen is an error, never a 0.
test('in a real Jest run: measure() records better-sqlite3 queries, culprit/budget/jest registers both matchers, an unhooked ES-module driver fails SQL budgets', {
  skip:
    (!existsSync(jest) && 'jest is not installed') || (!existsSync(built) && 'culprit is not built (npm run build)'),
}, async () => {
  const config = fileURLToPath(new URL('test-support/jest-project/jest.config.mjs', import.meta.url));
  // as a user runs it: culprit is ES modules, which Jest imports only under --experimental-vm-modules
  const args = ['--experimental-vm-modules', jest, '--config', config, '--runInBand', '--ci'];
  const { stderr } = await promisify(execFile)(process.execPath, args, {
    cwd: root,
    env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, // CI: the committed snapshot must match, never be written
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`jest failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  // 5 tests; the ES-module driver's needs PostgreSQL (skipped with a message where it is absent)
  assert.match(stderr, /Tests:\s+(?:1 skipped, 4 passed|5 passed), 5 total/);
});
