// `culprit check budgets.json` (the CI form of the budgets) on ephemera's own
// budgets file, through the real binary in module mode: the clean archive
// passes, the story's leftover debug code fails with the line that read the table.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createArchive, type TestArchive } from '../test-support/archive.js';

const ephemera = fileURLToPath(new URL('../../', import.meta.url));
const culprit = join(ephemera, '../culprit/bin/culprit.js');

function check(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [culprit, 'check', ...args],
      { cwd: ephemera, env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('culprit check budgets.json', () => {
  let archive: TestArchive;
  let db = '';
  before(async () => {
    archive = await createArchive('sqlite', 120);
    db = archive.db.kind === 'sqlite' ? archive.db.file : '';
  });
  after(async () => archive?.cleanup());

  test('clean: every request within its budget, one row each, exit 0', async () => {
    const { code, stdout } = await check(['budgets.json'], { EPHEMERA_DB: db, EPHEMERA_INCIDENT: '0' });
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^request +status +queries +repeat +rows +rows\/item +built +http +redis +ms +result$/m);
    assert.match(stdout, /^story item +200 +\d+\/10 +1\/1 +\d+ +\d+(\.\d)?\/20 .* ok$/m);
    assert.match(stdout, /all 2 requests within budget/);
  });

  test('incident: the rows per item and the Ephemeron count break the budget, exit 1, naming queryset.ts:62', async () => {
    const { code, stdout } = await check(['budgets.json'], { EPHEMERA_DB: db, EPHEMERA_INCIDENT: '1' });
    assert.equal(code, 1, stdout);
    assert.match(stdout, /^story item +200 .*\/20 ✗ .* OVER$/m);
    assert.match(stdout, /Ephemeron constructions: 12\d \(budget 5\) at src\/db\/entities\.ts:\d+/);
    assert.match(stdout, /largest query: 120 rows from src\/api\/queryset\.ts:62/);
    const json = await check(['budgets.json', '--json'], { EPHEMERA_DB: db, EPHEMERA_INCIDENT: '1' });
    const report = JSON.parse(json.stdout) as {
      schema: string;
      passed: boolean;
      requests: Array<{ name: string; violations: Array<{ limit: string }> }>;
    };
    assert.equal(report.schema, 'culprit.check/1');
    assert.equal(report.passed, false);
    assert.deepEqual(
      report.requests[0]?.violations.map((v) => v.limit),
      ['rows per item (1 item)', 'Ephemeron constructions'],
    );
  });

  test('a malformed budgets file is a one-line usage error (exit 2) naming the field', async () => {
    const bad = join(archive.db.kind === 'sqlite' ? join(archive.db.file, '..') : ephemera, 'bad-budgets.json');
    writeFileSync(bad, JSON.stringify({ app: 'x.ts', requests: [{ request: 'GET /a', budget: { querys: 3 } }] }));
    const { code, stderr } = await check([bad], {});
    assert.equal(code, 2);
    assert.match(stderr, /requests\[0\]\.budget\.querys must be one of queries, repeatedQueries/);
    assert.equal(stderr.trim().split('\n').length, 1);
  });
});
