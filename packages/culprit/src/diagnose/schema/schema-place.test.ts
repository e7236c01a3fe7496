import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TableDeclaration } from './declaration.js';
import { schemaPlace } from './schema-place.js';
import { declarationsIn, markSetUpScripts } from './table-declarations.js';

const decl = (file: string, line: number, kind: TableDeclaration['kind'], names = ['orders']): TableDeclaration => ({
  names,
  kind,
  file,
  line,
  endLine: line,
});

const place = (declarations: TableDeclaration[], table = 'orders'): string | undefined => {
  const found = schemaPlace(table, declarations);
  return found && `${found.beside} ${found.declaration.file}:${found.declaration.line}`;
};

test("a new index goes after the table's last declared index, else beside the table", () => {
  // a dump: every table, then every index
  const dump = [
    decl('/app/schema.sql', 3, 'table'),
    decl('/app/schema.sql', 20, 'table', ['customers']),
    decl('/app/schema.sql', 40, 'index'),
    decl('/app/schema.sql', 41, 'index', ['customers']),
    decl('/app/schema.sql', 42, 'index'),
  ];
  assert.equal(place(dump), 'index /app/schema.sql:42');
  assert.equal(place([decl('/app/schema.js', 27, 'table')]), 'table /app/schema.js:27');
  assert.equal(place([decl('/app/schema.js', 27, 'table')], '"public"."ORDERS"'), 'table /app/schema.js:27');
});

test('indexes written after their table: the new one after the last; decorators around a class: the class', () => {
  assert.equal(
    place([
      decl('/app/schema.js', 5, 'table', ['customers']),
      decl('/app/schema.js', 27, 'table'),
      decl('/app/schema.js', 33, 'index'),
      decl('/app/schema.js', 34, 'index'),
    ]),
    'index /app/schema.js:34',
  );
  // TypeORM: @Index above @Entity and on a field of the class
  assert.equal(
    place([
      decl('/app/order.entity.ts', 2, 'index'),
      decl('/app/order.entity.ts', 3, 'table'),
      decl('/app/order.entity.ts', 9, 'index'),
    ]),
    'block /app/order.entity.ts:3',
  );
});

test('indexes spread over migrations: the file that creates the table', () => {
  assert.equal(
    place([
      decl('/app/migrations/001.js', 3, 'table'),
      decl('/app/migrations/001.js', 9, 'index'),
      decl('/app/migrations/007.js', 4, 'index'),
    ]),
    'index /app/migrations/001.js:9',
  );
});

test('tests and built output declare copies: the sources win', () => {
  assert.equal(
    place([
      decl('/app/test/fixtures.js', 5, 'table'),
      decl('/app/src/schema.ts', 12, 'table'),
      decl('/app/dist/schema.js', 10, 'table'),
      decl('/app/src/orders.test.ts', 8, 'index'),
    ]),
    'table /app/src/schema.ts:12',
  );
  assert.equal(place([decl('/app/dist/schema.js', 10, 'table')]), 'table /app/dist/schema.js:10');
});

test('no place: undeclared, declared in two files alike, or only a similar table', () => {
  assert.equal(place([]), undefined);
  assert.equal(place([decl('/app/models/order.js', 1, 'table'), decl('/app/db/init.sql', 4, 'table')]), undefined);
  assert.equal(
    place([
      decl('/app/a.sql', 1, 'table'),
      decl('/app/a.sql', 2, 'index'),
      decl('/app/b.sql', 1, 'table'),
      decl('/app/b.sql', 2, 'index'),
    ]),
    undefined,
  );
  assert.equal(place([decl('/app/schema.js', 3, 'table', ['orders_archive'])]), undefined);
  // a seed script that creates the table before filling it runs once: an index added there reaches no database
  assert.equal(place([decl('/app/seed.js', 28, 'table')]), undefined);
  assert.equal(place([decl('/app/db/seeds/01_orders.js', 2, 'table')]), undefined);
  assert.equal(
    place([decl('/app/scripts/seed-demo.ts', 5, 'table'), decl('/app/src/schema.sql', 9, 'table')]),
    'table /app/src/schema.sql:9',
  );
});

test('a script that drops and recreates its tables is a reset, whatever its name; a dump or a migration is not', () => {
  const script = (file: string) =>
    declarationsIn(
      file,
      [
        'async function main() {',
        '  await sql`DROP TABLE IF EXISTS events`;',
        '  await sql`CREATE TABLE events (id serial PRIMARY KEY, account_id int NOT NULL)`;',
        '}',
      ].join('\n'),
    );
  assert.equal(place(script('/app/setup.js'), 'events'), undefined);
  assert.equal(place(script('/app/src/db/init.ts'), 'events'), undefined);
  assert.equal(place(script('/app/migrations/001_events.js'), 'events'), 'table /app/migrations/001_events.js:3');
  const dump = declarationsIn('/app/schema.sql', 'DROP TABLE IF EXISTS events;\nCREATE TABLE events (id int);\n');
  assert.equal(place(dump, 'events'), 'table /app/schema.sql:2');
});

test('a script the server never loaded declares no schema place, unless it is a migration or SQL', () => {
  const setUp = [
    decl('/app/setup.js', 11, 'table'),
    decl('/app/setup.js', 22, 'index'),
    decl('/app/src/models/order.js', 4, 'table'),
  ];
  const loaded = new Set(['/app/server.js', '/app/src/models/order.js']);
  assert.equal(place(markSetUpScripts(setUp, loaded)), 'table /app/src/models/order.js:4');
  assert.equal(place(markSetUpScripts(setUp.slice(0, 2), loaded)), undefined);
  assert.equal(
    place(markSetUpScripts(setUp.slice(0, 2), undefined)),
    'index /app/setup.js:22',
    'a saved capture: unknown',
  );
  assert.equal(
    place(markSetUpScripts([decl('/app/db/migrations/001.js', 3, 'table')], loaded)),
    'table /app/db/migrations/001.js:3',
  );
});

test("a schema module run by the set-up script is the schema's record; a model that cannot declare indexes is no place", () => {
  const loaded = new Set(['/app/server.js', '/app/models/Shift.js']);
  // db/schema.js builds the tables for `npm run setup`; the server loads the Objection model only
  const declared = [
    decl('/app/db/schema.js', 14, 'table', ['shifts']),
    decl('/app/db/schema.js', 22, 'index', ['shifts']),
    { ...decl('/app/models/Shift.js', 4, 'table', ['shifts']), mapsOnly: true as const },
  ];
  assert.equal(place(markSetUpScripts(declared, loaded), 'shifts'), 'index /app/db/schema.js:22');
  assert.equal(
    place(markSetUpScripts([decl('/app/src/schema/shifts.ts', 3, 'table', ['shifts'])], loaded), 'shifts'),
    'table /app/src/schema/shifts.ts:3',
  );
  // only the model: the place is the query, not a class that has nowhere to write an index
  assert.equal(place(markSetUpScripts(declared.slice(2), loaded), 'shifts'), undefined);
  // a set-up script by any other name still declares nothing the app keeps
  assert.equal(place(markSetUpScripts([decl('/app/db/init.js', 3, 'table', ['shifts'])], loaded), 'shifts'), undefined);
});

test('a migrations module (db/migrate.ts, a list of statements) is the schema the team keeps, though only set-up runs it', () => {
  // an ORM's table definitions (no indexes) beside a module of ordered CREATE TABLE / CREATE INDEX statements
  const kept = [
    decl('/app/src/db/schema.ts', 26, 'table'),
    decl('/app/src/db/migrate.ts', 14, 'table'),
    decl('/app/src/db/migrate.ts', 19, 'index'),
    decl('/app/src/db/migrate.ts', 20, 'index'),
  ];
  const loaded = new Set(['/app/dist/server.js', '/app/src/server.ts', '/app/src/db/schema.ts']);
  assert.equal(place(markSetUpScripts(kept, loaded)), 'index /app/src/db/migrate.ts:20');
  const namedMigrations = kept.map((d) => ({ ...d, file: d.file.replace('migrate.ts', 'migrations.js') }));
  assert.equal(place(markSetUpScripts(namedMigrations, loaded)), 'index /app/src/db/migrations.js:20');
});
