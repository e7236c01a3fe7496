// culprit trace end to end, through main() and through the real binary.
// Needs `npm run build` (the probe runs from dist).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Capture } from '../capture/types.js';
import { main } from '../cli/main.js';
import { recordingIo } from '../cli/test-support/recording-io.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

async function culprit(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = recordingIo(cwd);
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('culprit trace', { concurrency: true }, () => {
  test('--app: queries with rows and the issuing line, values redacted, capture as JSON', async () => {
    const { code, stdout } = await culprit(
      ['trace', '--app', 'app.js', 'GET', '/cards?limit=4&token=s3cret', '--json'],
      `${fixtures}trace-sqlite`,
    );
    assert.equal(code, 0);
    const capture = JSON.parse(stdout) as Capture;
    assert.equal(capture.schema, 'culprit.capture/1');
    assert.equal(capture.target.mode, 'module');
    const [request] = capture.requests;
    assert.ok(request);
    assert.equal(request.url, '/cards?limit=?&token=?');
    assert.equal(request.status, 200);
    assert.equal(request.items, 4);
    assert.equal(request.queries.length, 5, '1 list query + 4 owner lookups (the N+1)');
    const list = request.queries[0];
    assert.equal(list?.sql, 'SELECT * FROM card WHERE id <= ?');
    assert.equal(list?.rows, 4);
    assert.deepEqual(list?.params, ['?']);
    assert.match(list?.location?.file ?? '', /trace-sqlite\/app\.js$/);
    assert.equal(list?.location?.line, 20);
    assert.deepEqual(
      request.queries.slice(1).map((q) => q.location?.line),
      [14, 14, 14, 14],
    );
    assert.equal(stdout.includes('s3cret'), false);
  });

  test('--keep-params keeps values; --save writes the same capture; the table names sites', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'culprit-trace-'));
    const save = join(dir, 'capture.json');
    const { code, stdout } = await culprit(
      ['trace', '--app', 'app.js', 'GET', '/cards?limit=2', '--keep-params', '--save', save, '-n', '2'],
      `${fixtures}trace-sqlite`,
    );
    assert.equal(code, 0);
    const saved = JSON.parse(readFileSync(save, 'utf8')) as Capture;
    assert.equal(saved.requests.length, 2);
    assert.equal(saved.requests[1]?.url, '/cards?limit=2');
    assert.deepEqual(saved.requests[0]?.queries[0]?.params, [2]);
    assert.match(stdout, /GET \/cards\?limit=2\s+200/);
    assert.match(stdout, /top query sites/);
    assert.match(stdout, /app\.js:14\s+2×\s+2 rows/);
  });

  test('--stacks: each query carries its whole source-mapped stack', async () => {
    const { code, stdout } = await culprit(
      ['trace', '--app', 'app.js', 'GET', '/cards?limit=1', '--stacks', '--json', '--no-constructions'],
      `${fixtures}trace-sqlite`,
    );
    assert.equal(code, 0);
    const query = (JSON.parse(stdout) as Capture).requests[0]?.queries[0];
    const stack = query?.stack ?? [];
    assert.ok(stack.length > 3, `stack of ${stack.length} frames`);
    assert.ok(
      stack.some((frame) => frame.package === 'express' || frame.package === 'router'),
      'dependency frames are named by package',
    );
    assert.ok(stack.some((frame) => frame.file.endsWith('trace-sqlite/app.js') && frame.line === 20));
  });

  test('command mode under a TypeScript loader (node --import tsx): the driver hooks still record', async () => {
    // tsx compiles a require()d ES module into a CommonJS copy of its own; the probe's hooks, loaded with the
    // first driver file, must not land in such a copy (they did: every query was lost)
    const { code, stdout } = await culprit(
      ['trace', '/cards?limit=4', '--json', '--', 'node', '--import', 'tsx', 'server.js'],
      `${fixtures}trace-sqlite`,
    );
    assert.equal(code, 0);
    const request = (JSON.parse(stdout) as Capture).requests[0];
    assert.equal(request?.queries.length, 5, '1 list query + 4 owner lookups');
    assert.equal(request?.queries[1]?.rows, 1);
  });

  test('command mode: -X, -H and -d reach the app over real HTTP', async () => {
    const { code, stdout } = await culprit(
      [
        'trace',
        '-X',
        'POST',
        '-H',
        'Content-Type: application/json',
        '-d',
        '{"a":1}',
        '/echo',
        '--json',
        '--',
        'node',
        'server.js',
      ],
      `${fixtures}trace-express`,
    );
    assert.equal(code, 0);
    const capture = JSON.parse(stdout) as Capture;
    assert.equal(capture.target.mode, 'command');
    assert.match(capture.target.baseUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(capture.requests[0]?.method, 'POST');
    assert.equal(capture.requests[0]?.status, 201, 'express.json() parsed the body: the header arrived');
    assert.equal(capture.requests[0]?.bytes, 7);
    assert.equal(capture.requests[0]?.items, 1);
  });

  test('bad input: exit 2 with one coded line', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['trace', '/x'], /CULPRIT_E_MISSING_ARGUMENT: no command to start/],
      [['trace', '-n', 'zero', '/x', '--', 'node', 'server.js'], /CULPRIT_E_BAD_FLAG_VALUE: -n/],
      [['trace', '-H', 'nocolon', '/x', '--', 'node', 'server.js'], /CULPRIT_E_BAD_HEADER/],
      [['trace', '--app', 'app.js', 'GET'], /CULPRIT_E_MISSING_ARGUMENT/],
      [['trace', '--app', '../trace-bad/nothing.js', 'GET', '/'], /CULPRIT_E_MODULE_UNUSABLE: .*answer: number/],
      [
        ['trace', '--app', 'no-such-app.js', 'GET', '/'],
        /CULPRIT_E_UNREADABLE_FILE: --app: .*no-such-app\.js does not exist/,
      ],
    ];
    for (const [args, expected] of cases) {
      const { code, stderr } = await culprit(args, `${fixtures}trace-express`);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, expected);
      assert.equal(stderr.trim().split('\n').length, 1, 'one line');
    }
  });

  test('a module that throws on import: exit 1, one line with the message and where', async () => {
    const { code, stderr } = await culprit(['trace', '--app', 'throws.js', 'GET', '/'], `${fixtures}trace-bad`);
    assert.equal(code, 1);
    assert.match(
      stderr,
      /CULPRIT_E_TARGET_FAILED: importing .*throws\.js failed: boom: EPHEMERA_DB is not set \(at .*throws\.js:2:7\)/,
    );
    assert.equal(stderr.trim().split('\n').length, 1);
  });

  test('the command exits early: exit 1, its exit code and stderr in the message', async () => {
    const { code, stderr } = await culprit(['trace', '/', '--', 'node', 'exit-early.js'], `${fixtures}trace-bad`);
    assert.equal(code, 1);
    assert.match(stderr, /CULPRIT_E_TARGET_EXITED: the command 'node exit-early\.js' exited with code 3/);
    assert.match(stderr, /DATABASE_URL is not set/);
  });
});
