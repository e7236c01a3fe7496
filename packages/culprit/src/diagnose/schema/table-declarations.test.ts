import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declares } from './declaration.js';
import { unledIndex } from './declared-index.js';
import { declarationsIn } from './table-declarations.js';

interface Case {
  name: string;
  file: string;
  source: string[];
  table: string;
  /** `kind:line` of each declaration of `table`, in line order. */
  expected: string[];
}

const valid: Case[] = [
  {
    name: 'raw SQL in a template literal run at start-up, table and index',
    file: '/app/src/schema.js',
    source: [
      "import { pool } from './db.js';",
      'export async function migrate() {',
      '  await pool.query(`',
      '    CREATE TABLE IF NOT EXISTS public."orders" (',
      '      id serial PRIMARY KEY, customer_id int NOT NULL, status text',
      '    );',
      '    CREATE INDEX IF NOT EXISTS orders_customer_idx ON public.orders (customer_id);',
      '  `);',
      '}',
    ],
    table: 'orders',
    expected: ['table:4', 'index:7'],
  },
  {
    name: 'a .sql migration, keywords in lower case, unnamed and concurrent indexes',
    file: '/app/migrations/001_init.sql',
    source: [
      '-- the shop schema',
      'create table shipments (',
      '  id bigint primary key,',
      '  carrier text',
      ');',
      'create unique index concurrently on only shipments (carrier, id);',
    ],
    table: 'shipments',
    expected: ['table:2', 'index:6'],
  },
  {
    name: 'MySQL keys written inside the table, and a PRIMARY KEY constraint; a key column of a line is not one',
    file: '/app/db/schema.sql',
    source: [
      'CREATE TABLE tickets (',
      '  id INT AUTO_INCREMENT,',
      '  queue_id INT NOT NULL,',
      '  monkey_id INT NULL,',
      '  PRIMARY KEY (id),',
      '  KEY idx_tickets_assignee (assignee_id, status),',
      '  UNIQUE KEY uq_ref (ref),',
      '  FULLTEXT INDEX ft_subject (subject)',
      ') ENGINE=InnoDB;',
      'CREATE TABLE queues (',
      '  id INT PRIMARY KEY,',
      '  KEY by_name (name)',
      ');',
    ],
    table: 'tickets',
    expected: ['table:1', 'index:5', 'index:6', 'index:7', 'index:8'],
  },
  {
    name: 'a statement glued from pieces is not read; MySQL ALTER TABLE … ADD INDEX is',
    file: '/app/db/init.ts',
    source: [
      'const ddl = [',
      "  'CREATE TABLE',",
      '  "  `audit_events` (id INT PRIMARY KEY, actor VARCHAR(40))",',
      '];',
      "await conn.query('ALTER TABLE audit_events ADD INDEX by_actor (actor)');",
    ],
    table: 'audit_events',
    expected: ['index:5'],
  },
  {
    name: 'Knex migration: createTable with indexes in its callback, a later alterTable',
    file: '/app/migrations/20240101_orders.js',
    source: [
      'exports.up = (knex) =>',
      "  knex.schema.createTable('orders', (t) => {",
      "    t.increments('id');",
      "    t.string('status').index();",
      '  });',
      "exports.more = (knex) => knex.schema.alterTable('orders', (t) => { t.index(['customer_id']); });",
    ],
    table: 'orders',
    expected: ['table:2', 'index:4', 'index:6'],
  },
  {
    name: "Knex migration: a join table's composite key is among its indexes, a column's own .primary() is not",
    file: '/app/migrations/20240301_memberships.js',
    source: [
      'exports.up = async (knex) => {',
      "  await knex.schema.createTable('memberships', (t) => {",
      "    t.integer('id').primary();",
      "    t.integer('group_id').notNullable();",
      "    t.integer('user_id').notNullable();",
      "    t.primary(['group_id', 'user_id']);",
      '  });',
      '};',
    ],
    table: 'memberships',
    expected: ['table:2', 'index:6'],
  },
  {
    name: 'a migration class naming its table in a field: createTable(this.tableName, …)',
    file: '/app/database/migrations/1635677597423_comments.ts',
    source: [
      'export default class Comments extends BaseSchema {',
      "  protected tableName = 'comments'",
      '',
      '  public async up() {',
      '    this.schema.createTable(this.tableName, (table) => {',
      "      table.integer('article_id').notNullable()",
      "      table.index(['user_id'])",
      '    })',
      '  }',
      '  public async down() {',
      '    this.schema.dropTable(this.tableName)',
      '  }',
      '}',
    ],
    table: 'comments',
    expected: ['table:5', 'index:7'],
  },
  {
    name: 'the same migration as tsc compiles it: the field set in the constructor',
    file: '/app/build/database/migrations/1635677597423_comments.js',
    source: [
      'class Comments extends Schema_1.default {',
      '    constructor() {',
      '        super(...arguments);',
      "        this.tableName = 'comments';",
      '    }',
      '    async up() {',
      '        this.schema.createTable(this.tableName, (table) => {',
      "            table.integer('article_id').notNullable();",
      '        });',
      '    }',
      '}',
    ],
    table: 'comments',
    expected: ['table:7'],
  },
  {
    name: 'Kysely: createTable, and createIndex(…).on(table)',
    file: '/app/src/migrations/0001.ts',
    source: [
      'export async function up(db: Kysely<unknown>) {',
      "  await db.schema.createTable('person').addColumn('id', 'serial').execute();",
      "  await db.schema.createIndex('person_name_idx')",
      "    .on('person').column('name').execute();",
      '}',
    ],
    table: 'person',
    expected: ['table:2', 'index:3'],
  },
  {
    name: 'Sequelize define with tableName and indexes',
    file: '/app/models/order.js',
    source: [
      "module.exports = (sequelize, DataTypes) => sequelize.define('Order', {",
      '  status: DataTypes.STRING,',
      '}, {',
      "  tableName: 'shop_orders',",
      "  indexes: [{ fields: ['status'] }],",
      '});',
    ],
    table: 'shop_orders',
    expected: ['table:1', 'index:5'],
  },
  {
    name: "Sequelize Model.init without tableName: the model's pluralised name",
    file: '/app/models/category.ts',
    source: [
      'export class Category extends Model {}',
      'Category.init(',
      '  { title: { type: DataTypes.STRING } },',
      '  { sequelize },',
      ');',
    ],
    table: 'Categories',
    expected: ['table:2'],
  },
  {
    name: 'Sequelize migration: queryInterface.createTable and addIndex',
    file: '/app/migrations/20240102-create-user.js',
    source: [
      'module.exports = { async up(queryInterface, Sequelize) {',
      "  await queryInterface.createTable('Users', { id: { type: Sequelize.INTEGER } });",
      "  await queryInterface.addIndex('Users', ['email']);",
      '} };',
    ],
    table: 'users',
    expected: ['table:2', 'index:3'],
  },
  {
    name: 'TypeORM @Entity(name) with @Index decorators above the class and on a field',
    file: '/app/src/ticket.entity.ts',
    source: [
      "import { Entity, Index, Column } from 'typeorm';",
      "@Index(['status', 'createdAt'])",
      "@Entity('tickets')",
      'export class Ticket {',
      '  @Index()',
      '  @Column()',
      '  assignee!: string;',
      '}',
    ],
    table: 'tickets',
    expected: ['index:2', 'table:3', 'index:5'],
  },
  {
    name: 'TypeORM @Entity({ name }) and MikroORM @Entity() named by convention, two classes in one file',
    file: '/app/src/entities.ts',
    source: [
      "@Entity({ name: 'accounts', schema: 'billing' })",
      'export class Account {',
      '  @Index() @Property() email!: string;',
      '}',
      '@Entity()',
      'export class LedgerEntry {',
      '  @Property() amount!: number;',
      '}',
    ],
    table: 'ledger_entry',
    expected: ['table:5'],
  },
  {
    name: 'MikroORM @Entity({ tableName })',
    file: '/app/src/event.entity.ts',
    source: [
      "@Entity({ tableName: 'page_events' })",
      '@Index({ properties: ["site", "at"] })',
      'export class PageEvent {}',
    ],
    table: 'page_events',
    expected: ['table:1', 'index:2'],
  },
  {
    name: 'EntitySchema (MikroORM, TypeORM) with tableName and indexes',
    file: '/app/src/entities/invoice.ts',
    source: [
      'export const InvoiceSchema = new EntitySchema<Invoice>({',
      "  name: 'Invoice',",
      "  tableName: 'billing_invoices',",
      '  properties: { id: { type: Number, primary: true } },',
      "  indexes: [{ properties: ['customerId', 'dueOn'] }],",
      '});',
    ],
    table: 'billing_invoices',
    expected: ['table:1', 'index:5'],
  },
  {
    name: 'Drizzle pgTable with its indexes in the third argument',
    file: '/app/src/db/schema.ts',
    source: [
      "export const readings = pgTable('readings', {",
      "  deviceId: integer('device_id').notNull(),",
      '}, (t) => [',
      "  index('readings_device_idx').on(t.deviceId),",
      ']);',
      "export const devices = sqliteTable('devices', { id: integer('id') });",
    ],
    table: 'readings',
    expected: ['table:1', 'index:4'],
  },
  {
    name: 'Objection: static tableName field and getter',
    file: '/app/src/models.js',
    source: [
      'class Article extends Model {',
      "  static tableName = 'articles';",
      '}',
      'class Tag extends Model {',
      '  static get tableName() {',
      "    return 'articles';",
      '  }',
      '}',
    ],
    table: 'articles',
    expected: ['table:2', 'table:5'],
  },
];

const invalid: Case[] = [
  {
    name: 'a table only queried, inserted into or dropped',
    file: '/app/src/repo.js',
    source: [
      "pool.query('SELECT * FROM orders WHERE status = $1', [s]);",
      "pool.query('INSERT INTO orders (status) VALUES ($1)', [s]);",
      "pool.query('DROP TABLE IF EXISTS orders');",
      "knex('orders').where({ status }).select('*');",
      "knex.table('orders').where({ status });",
    ],
    table: 'orders',
    expected: [],
  },
  {
    name: 'declarations inside comments',
    file: '/app/src/schema.ts',
    source: [
      '// CREATE TABLE orders (id int);',
      '/*',
      " * knex.schema.createTable('orders', ...)",
      ' */',
      "const url = 'postgres://localhost/db'; // CREATE INDEX ON orders (status)",
      'const sql = `-- CREATE INDEX ON orders (status)',
      'SELECT 1`;',
    ],
    table: 'orders',
    expected: [],
  },
  {
    name: 'another table of a similar name',
    file: '/app/migrations/002.sql',
    source: [
      'CREATE TABLE orders_archive (id int);',
      'CREATE INDEX ON orders_archive (id);',
      'CREATE TABLE old_orders (id int);',
    ],
    table: 'orders',
    expected: [],
  },
  {
    name: 'temporary tables and init calls of other libraries',
    file: '/app/src/boot.js',
    source: [
      "Sentry.init({ dsn: 'x', tableName: 'orders' });",
      "customElements.define('orders', class extends HTMLElement {});",
      'await db.query("CREATE TEMP TABLE orders (id int)");',
    ],
    table: 'orders',
    expected: [],
  },
];

for (const c of [...valid, ...invalid]) {
  test(`declarations: ${c.name}`, () => {
    const found = declarationsIn(c.file, c.source.join('\n')).filter((d) => declares(d, c.table));
    assert.deepEqual(
      found.map((d) => `${d.kind}:${d.line}`),
      c.expected,
    );
    for (const d of found) assert.equal(d.file, c.file);
  });
}

test('SQL indexes keep their plain column lists; an expression index keeps none', () => {
  const sql = [
    'CREATE TABLE audit_events (',
    '  id BIGINT AUTO_INCREMENT PRIMARY KEY,',
    '  created_at DATETIME(3) NOT NULL,',
    '  KEY audit_events_created_idx (created_at, id),',
    '  UNIQUE KEY `uq_ref` (`ref`)',
    ');',
    'CREATE INDEX applications_job_id_idx ON applications USING btree (job_id);',
    'CREATE INDEX users_email_lower ON users (lower(email));',
  ].join('\n');
  const indexes = declarationsIn('/app/schema.sql', sql).filter((d) => d.kind === 'index');
  assert.deepEqual(
    indexes.map((d) => [d.names[0], d.line, d.columns]),
    [
      ['audit_events', 4, ['created_at', 'id']],
      ['audit_events', 5, ['ref']],
      ['applications', 7, ['job_id']],
      ['users', 8, undefined],
    ],
  );
});

test('a class-level @Index lists its properties in order; an index that leads with a column the WHERE leaves out is found', () => {
  const entity = [
    "import { Column, Entity, Index } from 'typeorm';",
    "@Entity('events')",
    "@Index('events_tenant_project_time', ['tenantId', 'projectId', 'occurredAt'])",
    '@Index({ unique: true })',
    'export class Event {',
    '  @Column() tenantId!: number;',
    '}',
  ].join('\n');
  const declared = declarationsIn('/app/src/event.entity.ts', entity);
  const indexes = declared.filter((d) => d.kind === 'index');
  assert.deepEqual(
    indexes.map((d) => [d.line, d.columns]),
    [
      [3, ['tenantid', 'projectid', 'occurredat']],
      [4, undefined],
    ],
  );
  // a statement on project_id and occurred_at, without the tenant: the declared index is the one it cannot use
  assert.equal(unledIndex('events', ['project_id', 'occurred_at'], declared)?.line, 3);
  // with the tenant compared, or on other columns, no index is left unused for its first column
  assert.equal(unledIndex('events', ['tenant_id', 'project_id'], declared), undefined);
  assert.equal(unledIndex('events', ['name'], declared), undefined);
});
