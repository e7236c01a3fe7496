// A target that crashes or fails to import says so in one coded error, never
// as culprit's internal error. Needs `npm run build` (the probe runs from dist).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/main.js';
import { recordingIo } from '../cli/test-support/recording-io.js';
import { describeExit } from './target-gone.js';

const bad = fileURLToPath(new URL('../../../../fixtures/trace-bad/', import.meta.url));
// modules that do not parse are written here, not kept in fixtures/ (the linter would refuse them)
const broken = mkdtempSync(join(tmpdir(), 'culprit-broken-'));
after(() => rmSync(broken, { recursive: true, force: true }));
writeFileSync(join(broken, 'package.json'), '{ "type": "module" }\n');
writeFileSync(
  join(broken, 'syntax.js'),
  '// a stray comma on line 3\nexport default (req, res) => {\n  res.end(1,,2);\n};\n',
);
writeFileSync(
  join(broken, 'broken.ts'),
  '// esbuild names file:line:column on a second line\nexport default function (req: unknown, res: { end(s: string): void }) {\n  res.end("x" +);\n}\n',
);

async function culprit(args: string[]): Promise<{ code: number; err: string }> {
  const io = recordingIo(bad);
  const code = await main(args, io);
  return { code, err: io.err() };
}

test('exits in words: codes and signals', () => {
  assert.equal(describeExit(7), 'exited with code 7');
  assert.equal(describeExit(134), 'was killed by SIGABRT (exit code 134)');
});

describe('targets that go away', { concurrency: true }, () => {
  test('a target crashing under diagnose: CULPRIT_E_TARGET_EXITED with its exit code and last stderr lines', async () => {
    const { code, err } = await culprit(['diagnose', '-n', '1', '/', '--', 'node', 'crash-after.js']);
    assert.equal(code, 1);
    assert.doesNotMatch(err, /internal error/);
    assert.match(
      err,
      /^culprit: CULPRIT_E_TARGET_EXITED: the target exited with code 7 while culprit was working with it; its last stderr lines:\nfatal: connection pool corrupted\n$/m,
    );
  });

  test('import errors keep the whole message, the file and the line', async () => {
    const syntax = await culprit(['trace', '--app', join(broken, 'syntax.js'), 'GET', '/']);
    assert.equal(syntax.code, 1);
    assert.match(
      syntax.err,
      /CULPRIT_E_TARGET_FAILED: importing .*syntax\.js failed: Unexpected token ',' \(at .*syntax\.js:3\)/,
    );
    const ts = await culprit(['trace', '--app', join(broken, 'broken.ts'), 'GET', '/']);
    assert.match(
      ts.err,
      /importing .*broken\.ts failed: Transform failed with 1 error:\n.*broken\.ts:3:\d+: ERROR: Unexpected "\)"/,
    );
    assert.doesNotMatch(ts.err, /esbuild|node:events/);
    const lines = await culprit(['trace', '--app', 'throws-lines.js', 'GET', '/']);
    assert.match(
      lines.err,
      /failed: config invalid:\n {2}DATABASE_URL is missing\n {2}PORT is not a number \(at .*throws-lines\.js:2:\d+\)/,
    );
  });
});
