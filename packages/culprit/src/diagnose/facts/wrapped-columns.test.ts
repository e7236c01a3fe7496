import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJsonField, unwrapAdvice, type WrappedColumn, wrappedColumns } from './wrapped-columns.js';

test('a function around a compared column of the WHERE is found, with its table qualifier', () => {
  assert.deepEqual(wrappedColumns('SELECT status, COUNT(*) FROM invoices WHERE DATE(issued_at) = ? GROUP BY status'), [
    { fn: 'DATE', column: 'issued_at' },
  ]);
  assert.deepEqual(wrappedColumns('SELECT * FROM users u WHERE lower(u."email") = $1'), [
    { fn: 'LOWER', column: 'email', qualifier: 'u' },
  ]);
  assert.deepEqual(wrappedColumns('SELECT * FROM t WHERE ? = YEAR(created_at)'), [
    { fn: 'YEAR', column: 'created_at' },
  ]);
  assert.deepEqual(wrappedColumns('SELECT * FROM t WHERE CAST(code AS int) = ?'), [{ fn: 'CAST', column: 'code' }]);
  assert.deepEqual(wrappedColumns("SELECT * FROM t WHERE strftime('%Y', issued_on) = ?"), [
    { fn: 'STRFTIME', column: 'issued_on' },
  ]);
});

test('functions of values, lists, subqueries and the select list are not a wrapped column', () => {
  assert.deepEqual(wrappedColumns('SELECT DATE(issued_at) FROM invoices WHERE issued_at >= DATE(?)'), []);
  assert.deepEqual(wrappedColumns('SELECT * FROM t WHERE status IN (?, ?) AND created_at > NOW()'), []);
  assert.deepEqual(wrappedColumns('SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.u_id)'), []);
  assert.deepEqual(wrappedColumns('SELECT * FROM t WHERE created_at > DATE_SUB(NOW(), INTERVAL 7 DAY)'), []);
  assert.deepEqual(wrappedColumns('SELECT * FROM t ORDER BY lower(name)'), []);
});

test('the advice compares the column itself, by what the function does', () => {
  assert.match(
    unwrapAdvice({ fn: 'DATE', column: 'issued_at' }),
    /issued_at >= the day's start AND issued_at < the next/,
  );
  assert.match(unwrapAdvice({ fn: 'LOWER', column: 'email' }), /index the expression/);
  assert.match(unwrapAdvice({ fn: 'COALESCE', column: 'deleted' }), /deleted = \? OR deleted IS NULL/);
});

test('an expression cast around a column (a time zone shift to a local day) wraps the column', () => {
  assert.deepEqual(
    wrappedColumns(
      'select (e.occurred_at AT TIME ZONE $1)::date as day, count(*) from events as e where e.project_id = $2 and (e.occurred_at AT TIME ZONE $3)::date >= $4::date group by 1',
    ),
    [{ fn: 'DATE', column: 'occurred_at', qualifier: 'e' }],
  );
  // a cast of a value compared with the column is not
  assert.deepEqual(wrappedColumns("select * from events where occurred_at >= ($1 || ' 00:00')::timestamp"), []);
});

test('a function nested in another around a compared column wraps it, named by the outermost function', () => {
  const sql = `SELECT id FROM listings l WHERE upper(replace(l.postcode, ' ', '')) = $1 AND l.status = $2 ORDER BY listed_at DESC`;
  assert.deepEqual(wrappedColumns(sql), [{ fn: 'UPPER', column: 'postcode', qualifier: 'l' }]);
  // nested, but the comparison is of something else: the column is not wrapped
  assert.deepEqual(wrappedColumns('SELECT id FROM t WHERE a = coalesce(trim(b), c) AND (lower(d) IS NULL OR e = 1)'), [
    { fn: 'COALESCE', column: 'b' },
    { fn: 'LOWER', column: 'd' },
  ]);
});

test('a distance computed per row from the coordinates is a radius search: a bounding box or a spatial index', () => {
  const [wrapped] = wrappedColumns(
    'SELECT id FROM shops s WHERE s.open = 1 AND ST_Distance_Sphere(POINT(s.lng, s.lat), POINT(?, ?)) <= ? LIMIT 50',
  );
  assert.deepEqual(wrapped, { fn: 'ST_DISTANCE_SPHERE', column: 'lng', qualifier: 's' });
  assert.match(unwrapAdvice(wrapped as WrappedColumn), /bounding box .* spatial index/);
});

test('a field read out of a JSON column and compared is a wrapping no index on the column serves', () => {
  assert.deepEqual(
    wrappedColumns('SELECT count(*) FROM events e WHERE e.project_id = $1 AND e.properties ->> $2 = $3'),
    [{ fn: '->>', column: 'properties', qualifier: 'e' }],
  );
  assert.deepEqual(wrappedColumns("SELECT * FROM orders WHERE data->>'$.status' = ? AND id > ?"), [
    { fn: '->>', column: 'data' },
  ]);
  assert.deepEqual(wrappedColumns("SELECT * FROM t WHERE payload #>> '{a,b}' IN (?, ?)"), [
    { fn: '#>>', column: 'payload' },
  ]);
  // selected, or tested for containment (which a GIN index serves), it is no wrapping
  assert.deepEqual(wrappedColumns("SELECT properties ->> 'plan' FROM events WHERE properties @> $1"), []);
  const wrapped = { fn: '->>', column: 'properties' };
  assert.ok(isJsonField(wrapped));
  assert.match(unwrapAdvice(wrapped), /properties @> .* GIN index/);
});
