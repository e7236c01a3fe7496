import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { probeEntryUrl } from '../target/probe-paths.js';

// The built probe (scripts/bundle-probe.mjs, bundle-probe-serve.mjs): a probed server loads its server
// side as one file once it listens, and every module's own file reaches the bundle's one copy of it.
const dir = mkdtempSync(join(tmpdir(), 'culprit-serve-bundle-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const probeDir = new URL('.', probeEntryUrl());

// every module a process imports, as Node's loader resolves it (hooks on the loader's own thread)
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
function probeFilesLoaded(args: string[], env: NodeJS.ProcessEnv = {}): Set<string> {
  rmSync(log, { force: true });
  const out = spawnSync(process.execPath, [`--import=${pathToFileURL(join(dir, 'register.mjs')).href}`, ...args], {
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

test("a probed server loads a handful of the probe's files, not one per module", () => {
  // the server closes once the probe has tried culprit's socket (absent here) and given up
  writeFileSync(
    join(dir, 'server.mjs'),
    `import { createServer } from 'node:http';
     const server = createServer((_request, response) => response.end('ok'));
     server.listen(0, '127.0.0.1', () => setTimeout(() => server.close(), 300));`,
  );
  const probeFiles = probeFilesLoaded([`--import=${probeEntryUrl()}`, 'server.mjs'], {
    CULPRIT_PROBE_SOCKET: join(dir, 'no-such.sock'),
  });
  assert.ok(probeFiles.has('serve.js'), [...probeFiles].join(', '));
  // index, start, serve and normalize-sql (the CLI's too); a server that loads no driver never loads the
  // driver hooks' bundle
  assert.ok(!probeFiles.has('driver-hooks.js'), [...probeFiles].join(', '));
  assert.ok(probeFiles.size <= 4, [...probeFiles].join(', '));
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
  // the driver hooks reach the request context through serve.js: a copy of their own would hold another storage
  const hooks = readFileSync(new URL('driver-hooks.js', probeDir), 'utf8');
  assert.ok(!hooks.includes('// dist/probe/request-context.js'), 'driver-hooks.js bundles request-context.js');
});
