// Run by Jest (from ../../matchers.test.ts): Jest loads CommonJS files through its own loader, which
// culprit's `_compile` hook never sees; a driver first loaded inside measure() must fail loudly, not count 0.
import { createRequire } from 'node:module';
import { measure } from 'culprit/budget';

const require = createRequire(import.meta.url); // Jest's require: its module registry, like the app's imports

test('a driver first loaded while measure() runs is named in an error', async () => {
  const lateLoad = () => new (require('better-sqlite3'))(':memory:').prepare('SELECT 1').get();
  await expect(measure(lateLoad)).rejects.toThrow(
    /measure\(\): better-sqlite3 loaded while the callback ran.*import it at the top of the test file/,
  );
  const db = new (require('better-sqlite3'))(':memory:');
  db.exec('CREATE TABLE t (id INTEGER)');
  // a prepared Statement: its class is the native addon's, one per process, patched by every test file's culprit
  const measured = await measure(() => db.prepare('INSERT INTO t VALUES (1)').run());
  expect(measured.queries.map((query) => query.sql)).toEqual(['INSERT INTO t VALUES (?)']);
});
