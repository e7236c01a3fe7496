import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onlyRunsTheQuery, passesStatementThrough } from './query-wrapper.js';

const at = (line: number) => ({ file: '/app/src/repo.js', line, column: 5 });
const lines = (text: string) => text.split('\n');

test('a repository method that runs one query and returns its rows is a wrapper', () => {
  const source = lines(`class Repo {
  async listAll() {
    const [rows] = await this.pool.query(
      'SELECT id, name FROM orders ORDER BY placed_at DESC',
    );
    return rows;
  }
}`);
  assert.equal(onlyRunsTheQuery(source, at(3)), true);
});

test('a one-line return of the query, in a function or an arrow, is a wrapper', () => {
  assert.equal(onlyRunsTheQuery(lines('function all(db) {\n  return db.select().from(users);\n}'), at(2)), true);
  assert.equal(
    onlyRunsTheQuery(
      lines('export const listSales = async (): Promise<Sale[]> => {\n  return sql`SELECT * FROM sales`;\n};'),
      at(2),
    ),
    true,
  );
});

test('a function that does more than run the query keeps the blame', () => {
  const filters = lines(`async function forCustomer(id) {
  const rows = await pool.query('SELECT * FROM orders');
  const mine = rows.filter((r) => r.customerId === id);
  return mine;
}`);
  assert.equal(onlyRunsTheQuery(filters, at(2)), false);
  const debugs = lines(`async retrieve(id) {
  const item = await repo.find(id);
  console.log(await db.query('SELECT * FROM items'));
  return item;
}`);
  assert.equal(onlyRunsTheQuery(debugs, at(3)), false);
});

test('a query inside a loop or a condition is not a wrapper', () => {
  const looped = lines(`async function load(ids) {
  for (const id of ids) {
    return db.query('SELECT * FROM t WHERE id = $1', [id]);
  }
}`);
  assert.equal(onlyRunsTheQuery(looped, at(3)), false);
  const guarded = lines(`async function load(all) {
  if (all) {
    return db.query('SELECT * FROM t');
  }
}`);
  assert.equal(onlyRunsTheQuery(guarded, at(3)), false);
});

test('a chain written over several lines, whose stack names its last line, is a wrapper', () => {
  const source = lines(`function listAll() {
  return stmt(
    'listAll',
    \`SELECT r.*, (SELECT group_concat(t.tag) FROM tags t WHERE t.recipe_id = r.id) AS tags
       FROM recipes r\`,
  ).all();
}`);
  assert.equal(onlyRunsTheQuery(source, at(6)), true);
  const filtered = lines(`function vegetarian() {
  const rows = stmt('all', 'SELECT * FROM recipes')
    .all();
  return rows.filter((r) => r.vegetarian);
}`);
  assert.equal(onlyRunsTheQuery(filtered, at(3)), false);
});

interface Case {
  name: string;
  source: string[];
  /** The call's line and column (1-based), as V8 names a frame: the column of the called property. */
  at: [number, number];
  passes: boolean;
}

const columnOf = (source: string[], line: number, text: string): [number, number] => [
  line,
  (source[line - 1] ?? '').indexOf(text) + 1,
];

const helper = [
  "import pg from 'pg';",
  'export const pool = new pg.Pool();',
  'export async function query(text, params) {',
  '  const result = await pool.query(text, params);',
  '  return result.rows;',
  '}',
];
const timed = [
  'async function run(sql, values = []) {',
  '  const started = Date.now();',
  '  try {',
  '    const [rows] = await this.pool.execute(sql, values);',
  '    return rows;',
  '  } finally {',
  "    log.debug('query', Date.now() - started);",
  '  }',
  '}',
];
const arrow = ['export const query = (text, params) => pool.query(text, params);'];
const repository = [
  'export async function findByEmail(email) {',
  '  return query(`SELECT * FROM contacts WHERE lower(email) = lower($1)`, [email]);',
  '}',
];
const named = [
  'const SQL = "SELECT * FROM tickets WHERE queue_id = ?";',
  'async function count(queueId) {',
  '  const [rows] = await pool.query(SQL, [queueId]);',
  '  return rows;',
  '}',
];
const method = [
  'class Store {',
  '  async byOwner(owner) {',
  "    const sql = 'SELECT * FROM notes WHERE owner = $1';",
  '    return this.db.query(sql, [owner]);',
  '  }',
  '}',
];
const promised = [
  'function query(sql, params = []) {',
  '  return new Promise((resolve, reject) => {',
  '    pool.query(sql, params, (err, rows) => (err ? reject(err) : resolve(rows)));',
  '  });',
  '}',
];
const callbackOwn = [
  'function latest(done) {',
  '  return new Promise(function (resolve) {',
  "    const sql = 'SELECT * FROM news ORDER BY id DESC LIMIT 5';",
  '    pool.query(sql, [], (err, rows) => resolve(rows));',
  '  });',
  '}',
];

// a service that runs a statement and the row count of it on one pooled connection, in a transaction
const onConnection = [
  'class Store {',
  '  async pageWithTotal(sql, values) {',
  '    const conn = await this.begin();',
  '    const page = await this.runOn(conn, sql, values);',
  "    const total = await this.runOn(conn, 'SELECT FOUND_ROWS() AS n');",
  '    await this.end(conn);',
  '    return { page, total };',
  '  }',
  '}',
];
// the statement written here, a later parameter named like a statement handed on beside it
const byIdOnConnection = [
  'async function noteById(id, rawSql) {',
  "  return db.query('SELECT * FROM notes WHERE id = ?', rawSql);",
  '}',
];
const namedAfterConnection = [
  'async function inTransaction(conn, rawSql, values) {',
  '  return conn.execute(conn, rawSql, values);',
  '}',
];

const cases: Case[] = [
  {
    name: 'a transaction helper handing its statement parameter on after the connection it opened',
    source: onConnection,
    at: columnOf(onConnection, 4, 'runOn('),
    passes: true,
  },
  {
    name: 'a parameter named as a statement after a connection parameter',
    source: namedAfterConnection,
    at: columnOf(namedAfterConnection, 2, 'execute('),
    passes: true,
  },
  {
    name: 'a literal statement before a parameter named like one',
    source: byIdOnConnection,
    at: columnOf(byIdOnConnection, 2, 'query('),
    passes: false,
  },
  {
    name: 'a helper handing its text parameter to the pool',
    source: helper,
    at: columnOf(helper, 4, 'query('),
    passes: true,
  },
  { name: 'a timing helper, the call inside try', source: timed, at: columnOf(timed, 4, 'execute('), passes: true },
  { name: 'an arrow whose body is the call', source: arrow, at: columnOf(arrow, 1, 'query(text'), passes: true },
  {
    name: 'a repository writing its statement',
    source: repository,
    at: columnOf(repository, 2, 'query('),
    passes: false,
  },
  { name: 'a constant of the module as the statement', source: named, at: columnOf(named, 3, 'query('), passes: false },
  { name: 'a local variable holding the statement', source: method, at: columnOf(method, 4, 'query('), passes: false },
  {
    name: "a callback driver's helper, the call inside the promise it returns",
    source: promised,
    at: columnOf(promised, 3, 'query('),
    passes: true,
  },
  {
    name: 'a promise whose executor writes its own statement',
    source: callbackOwn,
    at: columnOf(callbackOwn, 4, 'query('),
    passes: false,
  },
];

for (const c of cases) {
  test(`passesStatementThrough: ${c.name}`, () => {
    const [line, col] = c.at;
    assert.ok(col > 0, 'the call is on that line');
    assert.equal(passesStatementThrough(c.source, { file: '/app/x.js', line, column: col }), c.passes);
  });
}
