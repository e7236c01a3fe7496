// The files a server ran, as culprit's schema search asks for them: a server started from compiled output
// ran the TypeScript its source maps name (an entity declared in src/, run from dist/).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadedFiles } from './scripts.js';

test('a compiled file the process loaded brings the sources its source map names', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'culprit-loaded-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'dist/entities'), { recursive: true });
  mkdirSync(join(root, 'src/entities'), { recursive: true });
  writeFileSync(join(root, 'src/entities/Loan.ts'), 'export class Loan {}\n');
  writeFileSync(
    join(root, 'dist/entities/Loan.js'),
    'exports.Loan = class Loan {};\n//# sourceMappingURL=Loan.js.map\n',
  );
  writeFileSync(
    join(root, 'dist/entities/Loan.js.map'),
    JSON.stringify({
      version: 3,
      file: 'Loan.js',
      sources: ['../../src/entities/Loan.ts'],
      names: [],
      mappings: 'AAAA',
    }),
  );
  createRequire(import.meta.url)(join(root, 'dist/entities/Loan.js'));
  const files = loadedFiles();
  assert.ok(files.includes(join(root, 'dist/entities/Loan.js')), 'the compiled file itself');
  assert.ok(files.includes(join(root, 'src/entities/Loan.ts')), 'the source its map names');
});
