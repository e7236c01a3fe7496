import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSourceMap, generatedPosition, originalPosition } from './source-map-decode.js';

// Hand-checked map: generated line 0 ← a.ts line 2; generated line 2 col 4 ← a.ts line 5 col 2.
// "AAEA" = [0,0,2,0]; ";;IAGE" = gen col 4, source +0, line +3, col +2.
const map = decodeSourceMap(
  JSON.stringify({ version: 3, sources: ['a.ts'], sourceRoot: 'src', mappings: 'AAEA;;IAGE' }),
);

test('decodes segments and the source root', () => {
  assert.deepEqual(map?.sources, ['src/a.ts']);
  assert.deepEqual(map?.segments, [
    { generatedLine: 0, generatedColumn: 0, source: 0, originalLine: 2, originalColumn: 0 },
    { generatedLine: 2, generatedColumn: 4, source: 0, originalLine: 5, originalColumn: 2 },
  ]);
});

test('looks up both ways, moving to the next line with code', () => {
  assert.deepEqual(originalPosition(map!, 2, 10), { source: 0, line: 5, column: 2 });
  assert.deepEqual(generatedPosition(map!, 0, 5), { line: 2, column: 4, originalLine: 5 });
  assert.deepEqual(generatedPosition(map!, 0, 3), { line: 2, column: 4, originalLine: 5 });
  assert.equal(generatedPosition(map!, 0, 30), undefined);
});

test('agrees with a real TypeScript map', async () => {
  const { transform } = await import('esbuild');
  const code =
    'interface A { x: number }\n\n// comment\nexport function f(a: A): number {\n  const y: number = a.x * 2;\n  return y;\n}\n';
  const out = await transform(code, { loader: 'ts', sourcemap: 'external', sourcefile: 'f.ts' });
  const real = decodeSourceMap(out.map)!;
  const generated = generatedPosition(real, 0, 4)!; // `const y` line (0-based 4)
  assert.equal(out.code.split('\n')[generated.line]?.trim(), 'const y = a.x * 2;');
  assert.equal(originalPosition(real, generated.line, generated.column)?.line, 4);
});
