// mapPosition through a map Node itself loaded, as the probe sees a webpack bundle (Next.js's `.next/server`).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mapPosition } from './source-map.js';

process.setSourceMapsEnabled(true);
const project = mkdtempSync(join(tmpdir(), 'culprit-webpack-'));
after(() => rmSync(project, { recursive: true, force: true }));

/** A one-line bundle whose map names `source` for the code at column 20 of its only line. */
function bundle(name: string, source: string): string {
  const dir = join(project, '.next/server/app/api/orders');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  // mappings: generated column 0 → source 0, line 0, column 0; generated column 20 → source 0, line 6 (7th), column 4
  const map = { version: 3, file: name, sources: [source], names: [], mappings: 'AAAA,oBAMI' };
  const inline = Buffer.from(JSON.stringify(map)).toString('base64');
  writeFileSync(
    file,
    `module.exports = {};/* orders */\n//# sourceMappingURL=data:application/json;base64,${inline}\n`,
  );
  createRequire(import.meta.url)(file);
  return file;
}

test('webpack:// sources resolve to the project file above the bundle', () => {
  mkdirSync(join(project, 'lib'), { recursive: true });
  writeFileSync(join(project, 'lib/orders.js'), '// the app\n');
  const file = bundle('route.js', 'webpack://next-app/./lib/orders.js');
  assert.deepEqual(mapPosition({ url: file, line: 0, column: 20 }), {
    file: join(project, 'lib/orders.js'),
    line: 7,
    column: 5,
  });
});

test('a webpack:// source that is not on disk keeps its name', () => {
  const file = bundle('other.js', 'webpack://next-app/./lib/missing.js');
  assert.equal(mapPosition({ url: file, line: 0, column: 20 })?.file, 'webpack://next-app/lib/missing.js');
});
