import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { projectSchemaFiles } from './project-files.js';

const root = mkdtempSync(join(tmpdir(), 'culprit-project-files-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text = 'export {};\n'): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

const listed = (roots: string[]): string[] => projectSchemaFiles(roots).map((file) => relative(root, file));

test('the project’s scripts, TypeScript and SQL, nearest first; never dependencies, hidden folders or big files', () => {
  const app = join(root, 'app');
  write('app/package.json', '{}');
  write('app/src/db/schema.ts');
  write('app/migrations/001_init.sql', 'create table t (id int);\n');
  write('app/server.mjs');
  write('app/README.md', '# not code\n');
  write('app/src/types.d.ts');
  write('app/node_modules/pg/lib/client.js');
  write('app/.git/hooks/pre-commit.js');
  write('app/dist/server.js');
  write('app/src/generated/bundle.js', 'x'.repeat(600 * 1024));
  assert.deepEqual(listed([app]), ['app/server.mjs', 'app/migrations/001_init.sql', 'app/src/db/schema.ts']);
  // a module inside the working directory's project names the same root twice
  assert.deepEqual(listed([app, app]), listed([app]));
});

test('built output is read only when the project has no other source', () => {
  const built = join(root, 'built');
  write('built/package.json', '{}');
  write('built/dist/schema.js');
  write('built/build/models/order.cjs');
  assert.deepEqual(listed([built]).sort(), ['built/build/models/order.cjs', 'built/dist/schema.js']);
});
