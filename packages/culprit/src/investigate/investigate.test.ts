/**
 * The story end to end: ephemera with the leftover debug code on, and
 * `culprit diagnose` must name the line of that code; with it off, it must
 * find nothing of the kind. Runs the real binaries (built by npm test).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Finding } from '../capture/types.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const culprit = join(repo, 'packages/culprit/bin/culprit.js');
const ephemera = join(repo, 'packages/ephemera/bin/ephemera.js');
const app = join(repo, 'packages/ephemera/src/app.ts');
const incidentFile = join(repo, 'packages/ephemera/src/api/incident.ts');
const ROWS = 2_000;

let dir = '';
let db = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'culprit-investigate-'));
  db = join(dir, 'archive.sqlite');
  await run(process.execPath, [ephemera, 'seed', '--count', String(ROWS), '--db', db]);
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function diagnoseStory(incident: boolean, profile = false): Promise<Finding[]> {
  const { stdout } = await run(
    process.execPath,
    [
      culprit,
      'diagnose',
      '--app',
      app,
      'GET',
      '/api/ephemera/1337/?img=2&expand=~all',
      '-n',
      '2',
      ...(profile ? [] : ['--no-profile']),
      '--json',
    ],
    { env: { ...process.env, EPHEMERA_DB: db, EPHEMERA_INCIDENT: incident ? '1' : '0' }, cwd: repo },
  );
  return (JSON.parse(stdout) as { findings: Finding[] }).findings;
}

function assertLeftoverFirst(findings: Finding[]): void {
  const [first] = findings;
  assert.ok(first, 'expected a finding');
  assert.equal(first.rule, 'whole-table-load');
  assert.equal(first.location?.file, incidentFile);
  const leftoverLine =
    readFileSync(incidentFile, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes('isTruthy()')) + 1;
  assert.equal(first.location?.line, leftoverLine);
  assert.match(
    first.title,
    new RegExp(`constructs ${(ROWS + 1).toLocaleString('en-US')} Ephemeron objects to return 1 item`),
  );
  assert.ok(first.snippet?.lines.some((line) => line.includes('isTruthy()')));
}

test('with the incident on, the first finding names the leftover line in getSerializer', async () => {
  await assertLeftoverFirst(await diagnoseStory(true));
});

test('with a profile, the trace pass counts the calls too: the same constructions and finding', async () => {
  // the trace pass doubles as the profile's count pass: constructions come from its coverage takes
  await assertLeftoverFirst(await diagnoseStory(true, true));
});

test('with the incident off, no whole-table load is reported', async () => {
  const findings = await diagnoseStory(false);
  assert.deepEqual(
    findings.filter((f) => f.rule === 'whole-table-load'),
    [],
  );
});
