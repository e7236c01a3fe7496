// Which TypeScript files get TypeScript's own output (with decorator
// metadata) instead of tsx's, and that the output carries the metadata and a
// source map back to the .ts file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileWithMetadata, usesDecorators } from './ts-metadata.js';
import { compiledByHook, rewrite } from './ts-metadata-hooks.js';

const repoModules = fileURLToPath(new URL('../../../../../node_modules', import.meta.url));

describe('usesDecorators', () => {
  const cases: Array<[string, boolean]> = [
    ['@Injectable()\nexport class A {}', true],
    ['class A { constructor(@Inject(TOKEN) x: X) {} }', true],
    ['class A {\n  @Column\n  name: string;\n}', true],
    ['@nest.Module({})\nclass A {}', true],
    ['export const a = 1;', false],
    ['// mail me: someone@example.org\nexport const a = 1;', false],
  ];
  for (const [source, expected] of cases) {
    test(`${JSON.stringify(source.slice(0, 40))} → ${expected}`, () => assert.equal(usesDecorators(source), expected));
  }
});

describe('compileWithMetadata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'culprit-ts-metadata-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // the app's own TypeScript is resolved from the file: give the folder the repository's node_modules
  symlinkSync(repoModules, join(dir, 'node_modules'));
  const source = [
    'function Injectable(): ClassDecorator { return () => {}; }',
    'class Dep {}',
    '@Injectable()',
    'export class Service { constructor(readonly dep: Dep) {} }',
  ].join('\n');

  /** A folder with its own tsconfig (compilers are cached per tsconfig) and the decorated file. */
  function project(name: string, compilerOptions: object): string {
    const folder = join(dir, name);
    mkdirSync(folder);
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
    const file = join(folder, `${name}.ts`);
    writeFileSync(file, source);
    return file;
  }

  test('a decorated file under emitDecoratorMetadata: design:paramtypes, CommonJS or ESM, mapped to the .ts', () => {
    const file = project('with', { experimentalDecorators: true, emitDecoratorMetadata: true, target: 'ES2021' });
    const cjs = compileWithMetadata(file, 'commonjs');
    assert.ok(cjs, 'compiled');
    assert.match(cjs, /__metadata\("design:paramtypes", \[Dep\]\)/);
    assert.match(cjs, /exports\.Service = Service/);
    assert.match(cjs, /\/\/# sourceMappingURL=data:application\/json;base64,/);
    const map = JSON.parse(Buffer.from(cjs.split('base64,')[1] ?? '', 'base64').toString()) as { sources: string[] };
    assert.deepEqual(map.sources, ['with.ts']);
    const esm = compileWithMetadata(file, 'module');
    assert.match(esm ?? '', /^export \{|export class Service|export \{ Service \}/m);
  });

  test("tsx's output stands: no metadata asked for, no decorators, or a file in node_modules", () => {
    const file = project('without', { experimentalDecorators: true, target: 'ES2021' });
    assert.equal(compileWithMetadata(file, 'commonjs'), undefined);
    assert.equal(compileWithMetadata(file, 'commonjs', 'export const plain = 1;'), undefined);
    assert.equal(compileWithMetadata(join(dir, 'node_modules/x/index.ts'), 'commonjs', source), undefined);
  });

  // Node 24 compiles a CommonJS source handed over by a load hook itself (no Module.prototype._compile), and
  // tsx hands one over from in-thread hooks there: without this rewrite, TypeORM found no column types
  test("the load hook replaces tsx's source, CommonJS included, and only when tsx gave one", () => {
    const file = project('hooked', { experimentalDecorators: true, emitDecoratorMetadata: true, target: 'ES2021' });
    const url = pathToFileURL(file).href;
    const tsxOutput = { format: 'commonjs', source: 'exports.Service = class {};' };
    const cjs = rewrite(url, tsxOutput);
    assert.match(String(cjs?.source), /__metadata\("design:paramtypes", \[Dep\]\)/);
    assert.equal(cjs?.format, 'commonjs');
    assert.ok(compiledByHook.has(file), 'the _compile wrapper skips it');
    assert.match(String(rewrite(url, { format: 'module', source: 'export {}' })?.source), /design:paramtypes/);
    assert.equal(rewrite(url, { format: 'commonjs', source: null }), undefined, 'no source: left to _compile');
    assert.equal(rewrite(url, { format: 'json', source: '{}' }), undefined);
    assert.equal(rewrite('node:fs', { format: 'builtin', source: null }), undefined);
  });
});
