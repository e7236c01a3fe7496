/**
 * The binary runs the CLI bundled into dist/cli-bundle/ (scripts/bundle-cli.mjs): its commands are chunks
 * loaded on demand, and the error class stays in its own file, so an error made anywhere in the process is
 * one main() recognizes by instanceof; paths built from `import.meta.url` resolve from the modules' files.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { CulpritError as CulpritErrorClass } from '../errors/culprit-error.js';
import { fakeCapture } from '../report/test-support/fake-capture.js';
import type { CliIo } from './command.js';
import type { main as mainFunction } from './main.js';
import { recordingIo } from './test-support/recording-io.js';

const packageRoot = new URL('../../', import.meta.url);
const bundleDir = new URL('dist/cli-bundle/', packageRoot);
const bin = new URL('bin/culprit.js', packageRoot).pathname;
const run = promisify(execFile);

const bundledMain = async (): Promise<typeof mainFunction> =>
  ((await import(new URL('main.js', bundleDir).href)) as { main: typeof mainFunction }).main;

test('the binary loads the bundle, whose chunks import the error class from its one file', () => {
  // imported after the compile cache is on (compile-cache.ts), hence import()
  assert.match(readFileSync(bin, 'utf8'), /import\('\.\.\/dist\/cli-bundle\/main\.js'\)/);
  const files = readdirSync(bundleDir).filter((name) => name.endsWith('.js'));
  assert.ok(files.length > 2, `the commands are chunks of their own: ${files.join(', ')}`);
  const importers = files.filter((name) =>
    readFileSync(new URL(name, bundleDir), 'utf8').includes('from "../errors/culprit-error.js"'),
  );
  assert.ok(importers.includes('main.js'), importers.join(', '));
  for (const name of files) {
    assert.doesNotMatch(readFileSync(new URL(name, bundleDir), 'utf8'), /class CulpritError\b/, name);
  }
});

test('a coded error thrown in a command chunk reaches the binary as a usage error, exit 2', async () => {
  const failed = await run(process.execPath, [bin, 'diagnose', '--no-such-flag']).then(
    () => assert.fail('diagnose accepted an unknown flag'),
    (error: { code: number; stderr: string }) => error,
  );
  assert.equal(failed.code, 2);
  assert.match(failed.stderr, /^culprit: CULPRIT_E_UNKNOWN_FLAG: Unknown option '--no-such-flag'/);
});

test("an error of the library's own module (dist/errors) is the class the bundled main() knows", async () => {
  const { CulpritError } = (await import(new URL('dist/errors/culprit-error.js', packageRoot).href)) as {
    CulpritError: typeof CulpritErrorClass;
  };
  const main = await bundledMain();
  const recorded = recordingIo(process.cwd());
  const throwing: CliIo = {
    ...recorded,
    stdout: {
      write: () => {
        throw new CulpritError('CULPRIT_E_MISSING_ARGUMENT', 'thrown from outside the bundle');
      },
    } as unknown as CliIo['stdout'],
  };
  // a copy of the class inside the bundle would make this an internal error, exit 1
  assert.equal(await main(['--version'], throwing), 2);
  assert.match(recorded.err(), /^culprit: CULPRIT_E_MISSING_ARGUMENT: thrown from outside the bundle\n$/);
});

test("the CommonJS bundle (Node 20's) knows the library's error class too, and defines none", async () => {
  // in a plain node: the tests' tsx would compile the required ES module a second time, a class of its own
  const script = [
    `const { CulpritError } = await import(${JSON.stringify(new URL('dist/errors/culprit-error.js', packageRoot).href)});`,
    `const { requireCachedBundle } = await import(${JSON.stringify(new URL('dist/cli/cached-bundle.js', packageRoot).href)});`,
    `const { main } = requireCachedBundle(new URL(${JSON.stringify(new URL('main.cjs', bundleDir).href)}), {`,
    "  argv: ['--version'], importResolve: import.meta.resolve, env: { CULPRIT_CODE_CACHE: '0' } });",
    'const stdout = { write() { throw new CulpritError("CULPRIT_E_MISSING_ARGUMENT", "thrown from outside the bundle"); } };',
    'const io = { stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: new AbortController().signal };',
    "console.log('exit', await main(['--version'], io));",
  ].join('\n');
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script]);
  // a copy of the class inside the bundle would make this an internal error, exit 1
  assert.equal(stdout, 'exit 2\n');
  assert.match(stderr, /^culprit: CULPRIT_E_MISSING_ARGUMENT: thrown from outside the bundle\n$/);

  const text = readFileSync(new URL('main.cjs', bundleDir), 'utf8');
  assert.match(text, /require\("\.\.\/errors\/culprit-error\.js"\)/);
  assert.doesNotMatch(text, /class CulpritError\b/);
  assert.match(readFileSync(bin, 'utf8'), /requireCachedBundle\(new URL\('\.\.\/dist\/cli-bundle\/main\.cjs'/);
});

test('paths from import.meta.url resolve from each module file: the version, the viewer', async () => {
  const { version } = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version: string };
  const { stdout } = await run(process.execPath, [bin, '--version']);
  assert.equal(stdout.trim(), version);
  // the report inlines viewer-dist/, found two folders up from report/bundle.js
  const dir = mkdtempSync(join(tmpdir(), 'culprit-cli-bundle-'));
  const capture = join(dir, 'capture.json');
  writeFileSync(capture, JSON.stringify(fakeCapture({ nodes: 50 })));
  await run(process.execPath, [bin, 'view', capture, '--html', join(dir, 'report.html')]);
  assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /<script type="application\/json" id="culprit-data">/);
  rmSync(dir, { recursive: true, force: true });
});
