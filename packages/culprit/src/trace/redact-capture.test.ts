// One redaction policy for everything culprit writes, end to end: a server
// whose argv, error body, --log values and --when locals carry secrets.
// Needs `npm run build` (the probe runs from dist).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../capture/types.js';
import { main } from '../cli/main.js';
import { recordingIo } from '../cli/test-support/recording-io.js';
import { redactCapture } from './redact.js';

const app = fileURLToPath(new URL('../../../../fixtures/redaction/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'culprit-redact-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every secret the run sees: argv, header, query, body, cookie, log values, locals. */
const SECRETS = [
  'SECRET-ARGV',
  'SECRET-KEY',
  'SECRET-URLPW',
  'SECRET-HDR',
  'SECRET-Q',
  'SECRET-BODY-TOKEN',
  'SECRET-COOKIE',
  'SECRET-LOCAL-PW',
  'SECRET-USER-TOKEN',
];

async function trace(extra: string[]): Promise<{ code: number; out: string; err: string; saved: string }> {
  const save = join(dir, `cap-${extra.length}.json`);
  const io = recordingIo(app);
  const code = await main(
    [
      'trace',
      '--allow-errors',
      '--save',
      save,
      '--log',
      'server.js:13 user.password, user, cookie, user.name',
      '--when',
      'server.js:13 true',
      '-H',
      'Authorization: Bearer SECRET-HDR',
      '/login?token=SECRET-Q',
      ...extra,
      '--',
      'node',
      'server.js',
      '--db-password=SECRET-ARGV',
      '--api-key',
      'SECRET-KEY',
      'postgres://app:SECRET-URLPW@db/x',
    ],
    io,
  );
  return { code, out: io.out(), err: io.err(), saved: readFileSync(save, 'utf8') };
}

describe('redaction of what culprit writes', { concurrency: true }, () => {
  test('trace --save and its report hold no secret; names and shapes stay', async () => {
    const { code, out, err, saved } = await trace([]);
    assert.equal(code, 0, err);
    for (const secret of SECRETS) {
      assert.equal(saved.includes(secret), false, `${secret} in the capture`);
      assert.equal(out.includes(secret), false, `${secret} in the report`);
      assert.equal(err.includes(secret), false, `${secret} on stderr`);
    }
    const capture = JSON.parse(saved) as Capture;
    assert.deepEqual(capture.target.command, [
      'node',
      'server.js',
      '--db-password=?',
      '--api-key',
      '?',
      'postgres://app:?@db/x',
    ]);
    assert.match(capture.tool.command, /-H Authorization: \? /);
    assert.match(capture.requests[0]?.bodyHead ?? '', /^denied\nSet-Cookie: \?\n\{"token":"\?","reason":"expired"\}/);
    assert.deepEqual(capture.logs?.[0]?.values.slice(0, 2), ['?', "{ name: 'ada', password: '?', token: '?' }"]);
    assert.equal(capture.logs?.[0]?.values[3], 'ada');
    const locals = capture.stops?.[0]?.frames[0]?.locals ?? {};
    assert.equal(locals.password, '?');
    assert.equal(locals.cookie, '?');
    assert.match(locals.user ?? '', /name: "ada", password: "\?", token: "\?"/);
  });

  test('--keep-params writes them as they were', async () => {
    const { code, saved } = await trace(['--keep-params']);
    assert.equal(code, 0);
    for (const secret of SECRETS) assert.equal(saved.includes(secret), true, `${secret} kept`);
  });
});

test('redactCapture: notes and the target argv, nothing with keepParams', () => {
  const capture: Capture = {
    schema: 'culprit.capture/1',
    createdAt: '',
    tool: { name: 'culprit', version: '0', command: 'trace' },
    target: { mode: 'command', command: ['node', 'app.js', '--token', 't0k3n'] },
    requests: [],
    notes: ['no query plans: connect postgres://u:pw@h failed'],
  };
  const redacted = redactCapture(capture, false);
  assert.deepEqual(redacted.target.command, ['node', 'app.js', '--token', '?']);
  assert.deepEqual(redacted.notes, ['no query plans: connect postgres://u:?@h failed']);
  assert.equal(redactCapture(capture, true), capture);
});
