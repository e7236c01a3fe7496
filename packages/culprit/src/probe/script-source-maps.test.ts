// Source maps read on first use, as the probe does in a target started without --enable-source-maps:
// the files here are never loaded as modules, so Node holds no map for them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { scriptSourceMap, sourceMappingUrlIn } from './script-source-maps.js';
import { mapPosition } from './source-map.js';

const project = mkdtempSync(join(tmpdir(), 'culprit-lazy-maps-'));
after(() => rmSync(project, { recursive: true, force: true }));

// generated line 0, column 0 → source 0, line 0; generated line 1, column 2 → source 0, line 4 (5th), column 4
const MAPPINGS = 'AAAA;EAII';

function write(path: string, text: string): string {
  const file = join(project, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

test('a map kept in another folder names its sources from that folder', () => {
  write('src/orders.ts', 'export {};\n');
  write(
    'build/maps/orders.js.map',
    JSON.stringify({ version: 3, sources: ['../../src/orders.ts'], names: [], mappings: MAPPINGS }),
  );
  const file = write('build/out/orders.js', 'a;\n  b;\n//# sourceMappingURL=../maps/orders.js.map\n');
  assert.deepEqual(mapPosition({ url: file, line: 1, column: 2 }), {
    file: join(project, 'src/orders.ts'),
    line: 5,
    column: 5,
  });
});

test('an inline map in the file on disk maps, its sources named from the script folder', () => {
  write('lib/users.ts', 'export {};\n');
  const map = Buffer.from(
    JSON.stringify({ version: 3, sourceRoot: '../lib', sources: ['users.ts'], names: [], mappings: MAPPINGS }),
  ).toString('base64');
  const file = write('dist/users.js', `a;\n  b;\n//# sourceMappingURL=data:application/json;base64,${map}\n`);
  assert.equal(mapPosition({ url: pathToFileURL(file).href, line: 1, column: 2 })?.file, join(project, 'lib/users.ts'));
});

test('code a loader transformed in memory maps through the URL V8 reported, asked for only then', () => {
  const source = write('app/route.ts', 'export const a = 1;\n');
  const map = Buffer.from(
    JSON.stringify({ version: 3, sources: ['route.ts'], names: [], mappings: MAPPINGS }),
  ).toString('base64');
  const asked: boolean[] = [];
  const loaded = scriptSourceMap(source, (enable) => {
    asked.push(enable);
    return enable ? `data:application/json;base64,${map}` : undefined;
  });
  assert.deepEqual(asked, [false, true], 'what V8 saw is asked for once the file on disk names no map');
  const entry = loaded?.findEntry(1, 2);
  assert.equal(entry && 'originalSource' in entry ? entry.originalSource : undefined, pathToFileURL(source).href);
});

test('a JavaScript file without a map maps to itself, without turning the parsed-scripts list on', () => {
  const file = write('plain/server.js', 'module.exports = 1;\n');
  const asked: boolean[] = [];
  assert.equal(
    scriptSourceMap(file, (enable) => {
      asked.push(enable);
      return undefined;
    }),
    null,
  );
  assert.deepEqual(asked, [false]);
  assert.deepEqual(mapPosition({ url: file, line: 0, column: 0 }), { file, line: 1, column: 1 });
});

test('a missing or malformed map leaves positions generated', () => {
  const missing = write('broken/a.js', 'x;\n//# sourceMappingURL=a.js.map\n');
  const malformed = write('broken/b.js', 'x;\n//# sourceMappingURL=b.js.map\n');
  write('broken/b.js.map', '{"version": 3, "sources": [');
  assert.equal(scriptSourceMap(missing), null);
  assert.equal(scriptSourceMap(malformed), null);
});

test('a map whose sources were never published leaves positions generated', () => {
  // a package's build: the map names ../src/, which its tarball leaves out (typeorm's)
  write('node_modules/pkg/src/.keep', '');
  write(
    'node_modules/pkg/build/q.js.map',
    JSON.stringify({ version: 3, sources: ['../src/q.ts'], names: [], mappings: MAPPINGS }),
  );
  const file = write('node_modules/pkg/build/q.js', 'a;\n  b;\n//# sourceMappingURL=q.js.map\n');
  assert.ok(scriptSourceMap(file), 'the map is read: its payload names its sources');
  assert.deepEqual(mapPosition({ url: file, line: 1, column: 2 }), { file, line: 2, column: 3, package: 'pkg' });
});

test('a map whose mappings cannot be decoded leaves positions generated, decoded at the first lookup', () => {
  write('odd/src/r.ts', 'export {};\n');
  // Node's SourceMap throws on these mappings: the map is read, and decoded only when a position is looked up
  write('odd/r.js.map', JSON.stringify({ version: 3, sources: ['src/r.ts'], names: [], mappings: null }));
  const file = write('odd/r.js', 'a;\n  b;\n//# sourceMappingURL=r.js.map\n');
  assert.deepEqual(mapPosition({ url: file, line: 1, column: 2 }), { file, line: 2, column: 3 });
});

test('the comment a bundler appended last names the map', () => {
  assert.equal(
    sourceMappingUrlIn('a\n//# sourceMappingURL=old.map\nb\n//# sourceMappingURL=new.js.map\n'),
    'new.js.map',
  );
  assert.equal(sourceMappingUrlIn('//@ sourceMappingURL=legacy.map'), 'legacy.map');
  assert.equal(sourceMappingUrlIn('const s = 1;\n'), undefined);
});
