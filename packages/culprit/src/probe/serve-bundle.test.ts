import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeOptionsWithProbe, probeEntryUrl } from '../target/probe-paths.js';

// The built probe (scripts/bundle-probe.mjs, bundle-probe-serve.mjs): a probed server loads its server
// side as one file once it listens, and every module's own file reaches the bundle's one copy of it.
const dir = mkdtempSync(join(tmpdir(), 'culprit-serve-bundle-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const probeDir = new URL('.', probeEntryUrl());

// every module a process imports, as Node's loader resolves it (hooks on the loader's own thread), and every
// CommonJS file it required (the probe's command-mode twins: scripts/bundle-probe-cjs.mjs)
const log = join(dir, 'resolved.txt');
writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
   export async function resolve(specifier, context, next) {
     const result = await next(specifier, context);
     appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
     return result;
   }`,
);
writeFileSync(
  join(dir, 'register.mjs'),
  `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`,
);
writeFileSync(
  join(dir, 'required.cjs'),
  `const { appendFileSync } = require('node:fs');
   const { pathToFileURL } = require('node:url');
   process.on('exit', () => {
     const files = Object.keys(require.cache).map((file) => pathToFileURL(file).href + '\\n');
     appendFileSync(${JSON.stringify(log)}, files.join(''));
   });`,
);
function probeFilesLoaded(args: string[], env: NodeJS.ProcessEnv = {}, esmLog = true): Set<string> {
  rmSync(log, { force: true });
  const logs = [`--require=${join(dir, 'required.cjs')}`];
  if (esmLog) logs.push(`--import=${pathToFileURL(join(dir, 'register.mjs')).href}`);
  const out = spawnSync(process.execPath, [...logs, ...args], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    encoding: 'utf8',
  });
  assert.equal(out.status, 0, out.stderr);
  return new Set(
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((url) => url.startsWith(probeDir.href))
      .map((url) => url.slice(probeDir.href.length)),
  );
}

const serverSource = (load: string): string =>
  `${load}
   const server = createServer((_request, response) => response.end('ok'));
   server.listen(0, '127.0.0.1', () => setTimeout(() => server.close(), 300));`;

const servers: Array<[string, string]> = [
  ['server.mjs', `import { createServer } from 'node:http';`],
  ['server.cjs', `const { createServer } = require('node:http');`],
];
for (const [file, load] of servers) {
  test(`a probed server (${file}) loads a handful of the probe's files, not one per module, and no ES module`, () => {
    // the server closes once the probe has tried culprit's socket (absent here) and given up
    writeFileSync(join(dir, file), serverSource(load));
    // as command mode preloads it; a CommonJS app is then left without an ES module loader on Node 20
    const env = { CULPRIT_PROBE_SOCKET: join(dir, 'no-such.sock'), NODE_OPTIONS: nodeOptionsWithProbe(undefined) };
    const probeFiles = probeFilesLoaded([file], env, file.endsWith('.mjs'));
    const list = [...probeFiles].join(', ');
    assert.ok(probeFiles.has('serve.cjs'), list);
    // index, start, serve and normalize-sql; a server that loads no driver never loads the driver hooks' bundle,
    // one that no culprit answers never loads the recorder and the methods (record.cjs)
    assert.ok(!probeFiles.has('driver-hooks.cjs'), list);
    assert.ok(!probeFiles.has('record.cjs') && !probeFiles.has('record-side.cjs'), list);
    assert.ok(probeFiles.size <= 4, list);
    // an ES module of the probe's (a twin's re-export) would start Node's loader and its CommonJS lexer
    assert.deepEqual(
      [...probeFiles].filter((name) => !name.endsWith('.cjs')),
      [],
      list,
    );
  });
}

test('module mode imports the probe as an ES module: the same twins under their re-exports', () => {
  writeFileSync(join(dir, 'server.mjs'), serverSource(`import { createServer } from 'node:http';`));
  const probeFiles = probeFilesLoaded([`--import=${probeEntryUrl()}`, 'server.mjs'], {
    CULPRIT_PROBE_SOCKET: join(dir, 'no-such.sock'),
  });
  const list = [...probeFiles].join(', ');
  assert.ok(probeFiles.has('index.js') && probeFiles.has('index.cjs') && probeFiles.has('serve.cjs'), list);
  assert.ok(!probeFiles.has('driver-hooks.cjs'), list);
});

test("the CLI loads none of the probe's server side for the few probe modules it uses", () => {
  const cli = fileURLToPath(new URL('../../bin/culprit.js', probeDir));
  const probeFiles = probeFilesLoaded([cli, '--help']);
  assert.ok(probeFiles.size > 0, 'the resolve hook saw no probe file');
  assert.ok(!probeFiles.has('serve.js') && !probeFiles.has('start.js'), [...probeFiles].join(', '));
});

test("a module's own file and the server-side bundles are one copy: a hook or the CLI importing a module's file gets the bundle's state", async () => {
  const serve = {
    ...((await import(new URL('serve.js', probeDir).href)) as Record<string, unknown>),
    ...((await import(new URL('record.js', probeDir).href)) as Record<string, unknown>),
    ...((await import(new URL('driver-hooks.js', probeDir).href)) as Record<string, unknown>),
  };
  const context = (await import(new URL('request-context.js', probeDir).href)) as Record<string, unknown>;
  const pg = (await import(new URL('queries/pg.js', probeDir).href)) as Record<string, unknown>;
  // the bundle's exports under each module's alias (`m12$install`)
  const aliased = (name: string): unknown[] =>
    Object.entries(serve)
      .filter(([key]) => key.endsWith(`$${name}`))
      .map(([, value]) => value);
  for (const name of Object.keys(context)) assert.ok(aliased(name).includes(context[name]), name);
  assert.ok(typeof pg.install === 'function');
  assert.ok(aliased('install').includes(pg.install));
  // every driver hook exports its own `install`: none is lost to a clash
  const installs = new Set(aliased('install'));
  assert.ok(installs.size >= 10, `${installs.size} install functions`);
  // the driver hooks reach the request context through serve's twin: a copy of their own would hold another
  // storage (the ES module bundles are re-exports of the twins, scripts/bundle-probe-cjs.mjs)
  const hooks = readFileSync(new URL('driver-hooks.cjs', probeDir), 'utf8');
  const definesQueriesWanted = /\nfunction queriesWanted\(/;
  assert.match(readFileSync(new URL('serve.cjs', probeDir), 'utf8'), definesQueriesWanted);
  assert.doesNotMatch(hooks, definesQueriesWanted, 'driver-hooks.cjs bundles request-context.js');
  // the record side reaches them the same way, and the recorder is its own, not serve's
  const record = readFileSync(new URL('record.cjs', probeDir), 'utf8');
  assert.doesNotMatch(record, definesQueriesWanted, 'record.cjs bundles request-context.js');
  assert.match(record, /\nfunction recordRequestStart\(/);
  assert.doesNotMatch(readFileSync(new URL('serve.cjs', probeDir), 'utf8'), /\nfunction recordRequestStart\(/);
  const recorder = (await import(new URL('request-recorder.js', probeDir).href)) as Record<string, unknown>;
  assert.ok(aliased('recordRequestStart').includes(recorder.recordRequestStart));
  // the ES module file names the twin's exports itself: `export *` of CommonJS runs Node's export lexer over it
  assert.match(
    readFileSync(new URL('driver-hooks.js', probeDir), 'utf8'),
    /\('\.\/driver-hooks\.cjs'\);\nexport const \{ /,
  );
});
