import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filteredScans, indexColumns, readPlan, suggestedIndex } from './plan-facts.js';
import { wildcardAdvice, wildcardColumns } from './wildcard-search.js';

test('PostgreSQL: a sequential scan and a sort after it', () => {
  const plan = [
    'Limit  (cost=1251.00..1252.00 rows=20 width=8)',
    '  ->  Sort  (cost=1251.00..1252.00 rows=600 width=8)',
    '        Sort Key: price',
    '        ->  Seq Scan on products  (cost=0.00..1250.00 rows=600 width=8)',
    "              Filter: (brand = 'acme'::text)",
  ];
  const { scanned, sorted } = readPlan('pg', plan);
  assert.deepEqual({ scanned, sorted }, { scanned: ['products'], sorted: true });
  assert.deepEqual(readPlan('pg', ['Index Scan using products_pkey on products']), { scanned: [], sorted: false });
});

test('MySQL/MariaDB: type ALL is a full scan; filesort a sort', () => {
  const plan = ['table=audit type=ALL possible_keys=NULL key=NULL rows=400000 Extra=Using where; Using filesort'];
  assert.deepEqual(readPlan('mysql2', plan), {
    scanned: ['audit'],
    sorted: true,
    sortedTable: 'audit',
    scannedRows: { audit: 400_000 },
  });
});

test('SQLite: SCAN without an index, and the temporary B-tree for ORDER BY', () => {
  assert.deepEqual(readPlan('better-sqlite3', ['SCAN orders', 'USE TEMP B-TREE FOR ORDER BY']), {
    scanned: ['orders'],
    sorted: true,
  });
  assert.deepEqual(readPlan('better-sqlite3', ['SEARCH orders USING INDEX idx (customer=?)']), {
    scanned: [],
    sorted: false,
  });
  assert.deepEqual(readPlan('better-sqlite3', ['SCAN orders USING COVERING INDEX idx']), {
    scanned: [],
    sorted: false,
  });
});

test('SQLite: a walk of a whole index for its order, filtering every row, reads the table; without a filter it stops at the LIMIT', () => {
  const filtered =
    'select "id", "subject" from "tickets" where "tickets"."requester_id" = ? order by "tickets"."created_at" desc limit ?';
  const plan = ['SCAN tickets USING INDEX tickets_created_at_idx'];
  assert.deepEqual(readPlan('better-sqlite3', plan, filtered).scanned, ['tickets']);
  assert.deepEqual(filteredScans('better-sqlite3', plan, filtered), ['tickets']);
  assert.deepEqual(readPlan('better-sqlite3', ['SCAN tickets USING COVERING INDEX by_owner'], filtered).scanned, [
    'tickets',
  ]);
  const page = 'select "id" from "tickets" order by "tickets"."created_at" desc limit ?';
  assert.deepEqual(readPlan('better-sqlite3', plan, page).scanned, []);
  assert.deepEqual(filteredScans('better-sqlite3', plan, page), []);
});

test('SQLite: a scanned alias names its table (SCAN a3 of `user` as `a3`)', () => {
  const sql =
    'select `a0`.* from `article` as `a0` left join (`comment` as `c2` inner join `user` as `a3` on `c2`.`author_id` = `a3`.`id`) on `a0`.`id` = `c2`.`article_id` where `a0`.`slug` = ?';
  const plan = ['MATERIALIZE (join-1)', 'SCAN a3', 'SEARCH c2 USING INDEX comment_author_id_index (author_id=?)'];
  assert.deepEqual(readPlan('sqlite3', plan, sql).scanned, ['user']);
  assert.deepEqual(readPlan('sqlite3', plan, sql).materialized, ['user'], 'read to build the nested join whole');
  assert.equal(readPlan('sqlite3', ['SCAN a3'], sql).materialized, undefined);
  assert.deepEqual(filteredScans('sqlite3', plan, sql), ['user']);
});

test('the index serves the filter first, then the order', () => {
  assert.deepEqual(indexColumns('SELECT * FROM products WHERE brand = $1 ORDER BY price LIMIT 20'), ['brand', 'price']);
  assert.deepEqual(indexColumns('select * from `audit` where `audit`.`actor` = ? order by `created_at` desc limit ?'), [
    'actor',
    'created_at',
  ]);
  assert.equal(
    suggestedIndex('products', 'SELECT * FROM products WHERE brand = ? ORDER BY price'),
    'CREATE INDEX ON products (brand, price)',
  );
  assert.equal(suggestedIndex('products', 'SELECT * FROM products'), undefined);
});

test("a count's ORDER BY is no index column: it returns one row", () => {
  const count =
    'select count(distinct `a`.`id`) as `count` from `article` as `a` left join `user` as `u` on `a`.`author_id` = `u`.`id` where `a`.`state` = ? order by `a`.`created_at` desc';
  assert.deepEqual(indexColumns(count, 'article'), ['state']);
  assert.equal(suggestedIndex('article', count.replace(' where `a`.`state` = ?', '')), undefined);
  // grouped, it returns a row per group, in that order
  assert.deepEqual(indexColumns('SELECT count(*) FROM orders WHERE state = ? GROUP BY day ORDER BY day'), [
    'state',
    'day',
  ]);
  assert.deepEqual(indexColumns('SELECT id, count(*) OVER () FROM orders ORDER BY placed'), ['placed']);
  // ordered by an aggregate's name: no column of the table an index could keep in order
  assert.deepEqual(
    indexColumns(
      'SELECT c.id, sum(o.total) AS spent FROM customers c JOIN orders o ON o.cid = c.id WHERE c.region = ? GROUP BY c.id ORDER BY spent DESC LIMIT 10',
      'customers',
    ),
    ['region'],
  );
  assert.deepEqual(indexColumns('SELECT tag, count(*) n FROM posts WHERE blog = ? GROUP BY tag ORDER BY tag'), [
    'blog',
    'tag',
  ]);
});

test("SQLite's automatic index is a whole read of its table on every run, and the table wants that index", () => {
  const sql = 'SELECT c.name FROM customers c JOIN orders o ON o.customer_code = c.code WHERE c.region = ?';
  const plan = [
    'SEARCH c USING INDEX customers_region (region=?)',
    'SEARCH o USING AUTOMATIC COVERING INDEX (customer_code=?)',
  ];
  assert.deepEqual(readPlan('better-sqlite3', plan, sql).scanned, ['orders']);
  assert.deepEqual(filteredScans('better-sqlite3', plan, sql), ['orders']);
});

test('every driver of a server reads that server plan: postgres.js as pg, mysql and mariadb as mysql2', () => {
  const pgPlan = [
    'Sort  (cost=2100.1..2200.2 rows=40000 width=4)',
    '  ->  Seq Scan on products  (cost=0.00..1500.00 rows=40000 width=4)',
  ];
  const { scanned, sorted } = readPlan('postgres', pgPlan);
  assert.deepEqual({ scanned, sorted }, { scanned: ['products'], sorted: true });
  const myPlan = ['table=audit type=ALL possible_keys=NULL key=NULL rows=9000 Extra=Using where; Using filesort'];
  for (const driver of ['mysql', 'mariadb']) {
    assert.deepEqual(readPlan(driver, myPlan), {
      scanned: ['audit'],
      sorted: true,
      sortedTable: 'audit',
      scannedRows: { audit: 9000 },
    });
  }
});

test('MySQL/MariaDB: a table of a few dozen rows read once, first of its SELECT, is no table to index', () => {
  // a blog's 51 staff users, each with a count of their posts: the users are read whole once
  const sql =
    'select users.*, (select count(*) from posts_authors pa where pa.author_id = users.id) as count__posts from users where users.status in (?, ?)';
  const plan = [
    'id=1 select_type=PRIMARY table=users type=ALL possible_keys=NULL key=NULL rows=51 Extra=Using where',
    'id=2 select_type=DEPENDENT SUBQUERY table=pa type=ref possible_keys=pa_author key=pa_author rows=293 Extra=Using index',
  ];
  assert.deepEqual(readPlan('mysql2', plan, sql).scanned, []);
  // the same few rows read once per row of the table before them (a join buffer) are read thousands of times
  const inner = [
    'id=1 select_type=SIMPLE table=p type=ALL possible_keys=NULL key=NULL rows=30000 Extra=Using where',
    'id=1 select_type=SIMPLE table=u type=ALL possible_keys=NULL key=NULL rows=51 Extra=Using where; Using join buffer (flat, BNL join)',
  ];
  const joined = 'select p.id from posts p join users u on u.email = p.author_email where p.status = ?';
  assert.deepEqual(readPlan('mysql2', inner, joined).scanned, ['posts', 'users']);
});

test('a column matched against a leading wildcard is no index key; PostgreSQL plans show which', () => {
  const sql = 'SELECT * FROM products WHERE title LIKE ? AND brand = ? ORDER BY price';
  assert.equal(suggestedIndex('products', sql, ['title']), 'CREATE INDEX ON products (brand, price)');
  assert.equal(suggestedIndex('products', 'SELECT * FROM products WHERE title LIKE ?', ['title']), undefined);
  const plan = ["Seq Scan on products  Filter: (((title)::text ~~ '%tea%'::text) AND (sku !~~* '_x'::text))"];
  assert.deepEqual(wildcardColumns('pg', undefined, plan), ['title', 'sku']);
  assert.deepEqual(wildcardColumns('pg', ['name'], ["Filter: (title ~~ 'tea%'::text)"]), ['name'], 'a prefix is fine');
  assert.deepEqual(wildcardColumns('mysql2', ['title'], plan), ['title'], 'a MySQL plan shows no pattern');
});

test('a search over an expression of several columns names the expression, and no index on one of its columns', () => {
  const plan = [
    'Hash Left Join  (cost=40.00..5960.00 rows=80 width=0)',
    "  Filter: (concat_ws(' '::text, n.title, n.body, f.name) ~~* '%plan%'::text)",
  ];
  const found = wildcardColumns('pg', undefined, plan);
  assert.deepEqual(found, ['concat_ws(n.title, n.body, f.name)']);
  const advice = wildcardAdvice('pg', 'notes', found);
  assert.match(
    advice,
    /^LIKE on concat_ws\(n\.title, n\.body, f\.name\), an expression over 3 columns, of more than one table/,
  );
  assert.match(advice, /no index on any one of them serves it/);
  assert.doesNotMatch(advice, /CREATE INDEX ON notes USING gin \((title|body|name) /);
});

test('PostgreSQL: an index that serves part of the filter, the rest filtered row by row', () => {
  const bitmap = [
    'Limit  (cost=19911.76..19911.89 rows=50 width=113)',
    '  ->  Sort  (cost=19911.76..19912.35 rows=237 width=113)',
    '        Sort Key: priority, created_at DESC',
    '        ->  Bitmap Heap Scan on tickets  (cost=718.28..19903.89 rows=237 width=113)',
    "              Recheck Cond: (status = 'open'::text)",
    "              Filter: (assignee = 'a@b.c'::text)",
    '              ->  Bitmap Index Scan on tickets_status_idx  (cost=0.00..718.23 rows=66907 width=0)',
    "                    Index Cond: (status = 'open'::text)",
  ];
  assert.deepEqual(readPlan('postgres', bitmap), {
    scanned: [],
    sorted: true,
    filteredReads: [{ table: 'tickets', index: 'tickets_status_idx', readRows: 66907, keptRows: 237 }],
  });
  // a JSON operator in the Filter (`->>`) is a detail of the scan, not a node of the plan
  const jsonFilter = [
    'GroupAggregate  (cost=42144.01..42306.00 rows=1106 width=40)',
    '  ->  Gather Merge  (cost=42144.01..42272.82 rows=1106 width=38)',
    '        ->  Parallel Bitmap Heap Scan on events e  (cost=8926.27..41123.59 rows=461 width=38)',
    "              Recheck Cond: ((project_id = 1) AND (name = 'view'::text))",
    "              Filter: ((properties ->> 'utm_campaign'::text) = 'spring'::text)",
    '              ->  Bitmap Index Scan on events_project_name_idx  (cost=0.00..8925.99 rows=221171 width=0)',
    "                    Index Cond: ((project_id = 1) AND (name = 'view'::text))",
  ];
  assert.deepEqual(readPlan('postgres', jsonFilter).filteredReads, [
    { table: 'events', index: 'events_project_name_idx', readRows: 221171, keptRows: 461 },
  ]);
  const indexScan = [
    'Index Scan using "orders_created_idx" on public.orders  (cost=0.42..8.44 rows=12 width=40)',
    '  Index Cond: (created_at > now())',
    "  Filter: (region = 'eu'::text)",
  ];
  assert.equal(readPlan('pg', indexScan).filteredReads, undefined, 'how many rows it walks is not in the plan');
  // the index gives about what is kept: the filter discards little, nothing to say
  const fine = [
    'Bitmap Heap Scan on tickets  (cost=1.00..2.00 rows=90 width=8)',
    '  Filter: (priority > 1)',
    '  ->  Bitmap Index Scan on tickets_assignee_idx  (cost=0.00..1.00 rows=100 width=0)',
  ];
  assert.equal(readPlan('pg', fine).filteredReads, undefined);
  assert.equal(readPlan('pg', ['Index Scan using products_pkey on products  (rows=1)']).filteredReads, undefined);
});

test('MySQL/MariaDB: rows read through part of an index, then filtered by a WHERE, across a join', () => {
  const sql = 'SELECT s.id FROM stock_items s JOIN warehouses AS w ON w.id = s.warehouse_id WHERE s.lot_number = ?';
  // MariaDB prints no `filtered`: 8 warehouses (the whole of an index, unfiltered) × 29,613 rows each,
  // filtered after the lookup
  const mariadb = [
    'id=1 select_type=SIMPLE table=w type=index possible_keys=PRIMARY key=code rows=8 Extra=Using index',
    'id=1 select_type=SIMPLE table=s type=ref possible_keys=wh_sku key=wh_sku ref=test.w.id rows=29613 Extra=Using where',
  ];
  assert.deepEqual(readPlan('mariadb', mariadb, sql).filteredReads, [
    { table: 'stock_items', index: 'wh_sku', readRows: 236904, drivenBy: 'warehouses' },
  ]);
  // MySQL says how much the filter keeps
  const mysql = [
    'id=1 table=o type=range key=created rows=50000 filtered=0.10 Extra=Using index condition; Using where',
  ];
  assert.deepEqual(
    readPlan('mysql2', mysql, 'SELECT * FROM orders o WHERE o.created > ? AND o.state = ?').filteredReads,
    [{ table: 'orders', index: 'created', readRows: 50000, keptRows: 50 }],
  );
  const keepsMost = ['id=1 table=o type=range key=created rows=50000 filtered=80.00 Extra=Using where'];
  assert.equal(readPlan('mysql2', keepsMost, 'SELECT * FROM orders o').filteredReads, undefined);
  const small = ['id=1 table=o type=ref key=state rows=40 Extra=Using where'];
  assert.equal(readPlan('mysql2', small, 'SELECT * FROM orders o').filteredReads, undefined);
  const unique = ['id=1 table=o type=eq_ref key=PRIMARY rows=1 Extra=Using where'];
  assert.equal(readPlan('mysql2', unique, 'SELECT * FROM orders o').filteredReads, undefined);
  // a dashboard's count of a month of orders by status, a range of a covering index: the range is the filter
  const covering = [
    'table=orders type=range possible_keys=orders_placed key=orders_placed rows=36084 Extra=Using where; Using index; Using temporary; Using filesort',
  ];
  const monthly = 'SELECT status, COUNT(id) FROM orders WHERE placed_at >= ? GROUP BY status';
  assert.equal(readPlan('mariadb', covering, monthly).filteredReads, undefined);
  const pushedDown = [covering[0]?.replace('Using where; Using index', 'Using index condition; Using where') ?? ''];
  assert.equal(readPlan('mariadb', pushedDown, monthly).filteredReads?.length, 1, 'rows fetched, then filtered');
  // a list's total of published entries, by a key of a covering index on (kind, state, …): entries, not rows
  const keyed = [
    'id=1 select_type=SIMPLE table=entries type=ref possible_keys=entries_kind_state key=entries_kind_state rows=9000 Extra=Using where; Using index',
  ];
  const total = 'SELECT count(*) FROM entries WHERE entries.state = ? AND entries.kind = ?';
  assert.equal(readPlan('mariadb', keyed, total).filteredReads, undefined);
  const fetched = [keyed[0]?.replace('Using where; Using index', 'Using index condition; Using where') ?? ''];
  assert.equal(readPlan('mariadb', fetched, total).filteredReads?.length, 1, 'a key read whose rows are fetched');
  // a full scan names the table behind the alias
  assert.deepEqual(
    readPlan('mysql2', ['id=1 table=o type=ALL rows=90000'], 'SELECT * FROM `shop`.`orders` o').scanned,
    ['orders'],
  );
});

test("MySQL/MariaDB: a key read on the WHERE's only column is its whole filter, whatever `Using where` says", () => {
  // a device's latest readings: the key (device_id, taken_at) finds them and serves the order for the LIMIT;
  // MariaDB prints `Using where` on the key read and `rows` as all of the device's readings
  const latest = 'SELECT * FROM readings WHERE device_id = ? ORDER BY taken_at DESC LIMIT ?';
  const plan = [
    'id=1 select_type=SIMPLE table=readings type=ref possible_keys=readings_device_taken,readings_device key=readings_device_taken rows=2000 Extra=Using where',
  ];
  assert.equal(readPlan('mariadb', plan, latest).filteredReads, undefined);
  // a second column compared beside the key's is filtered row by row
  const unread = 'SELECT * FROM readings WHERE device_id = ? AND flagged = ? ORDER BY taken_at DESC LIMIT ?';
  assert.equal(readPlan('mariadb', plan, unread).filteredReads?.length, 1);
});

test("MariaDB's ANALYZE of a table sorted straight into a filesort measures the sorted rows, not the filter", () => {
  // a project's latest events: the whole table read, the WHERE keeping 0.5%, the rest sorted for the LIMIT; the
  // tabular ANALYZE prints r_rows and r_filtered of the sorted file (10 rows, 100%), its JSON form the table's 0.5%
  const latest = 'SELECT * FROM events WHERE project_id = ? ORDER BY created_at DESC LIMIT ?';
  const sorted = [
    'id=1 select_type=SIMPLE table=events type=ALL possible_keys=NULL key=NULL rows=38988 r_filtered=100 Extra=Using where; Using filesort',
  ];
  assert.equal(readPlan('mariadb', sorted, latest).filterKept, undefined);
  // rows grouped in a temporary table first: its r_filtered is the filter's
  const grouped = [
    'id=1 select_type=SIMPLE table=events type=ALL possible_keys=NULL key=NULL rows=38988 r_filtered=0.5 Extra=Using where; Using temporary; Using filesort',
  ];
  const byKind = 'SELECT kind, count(*) FROM events WHERE project_id = ? GROUP BY kind ORDER BY count(*)';
  assert.deepEqual(readPlan('mariadb', grouped, byKind).filterKept, { events: 0.005 });
});

test('MySQL/MariaDB: a joined table read in full, unfiltered, drives lookups of the filtered one', () => {
  // an article by its unindexed slug, with its author: MariaDB reads every user and each one's articles
  const sql =
    'select `p`.*, `m`.`id` as `m__id` from `post` as `p` left join `member` as `m` on `p`.`member_id` = `m`.`id` where `p`.`handle` = ? limit ?';
  const plan = [
    'id=1 select_type=SIMPLE table=m type=ALL possible_keys=PRIMARY key=NULL rows=4889 Extra=',
    'id=1 select_type=SIMPLE table=p type=ref possible_keys=post_member_id_index key=post_member_id_index rows=2 Extra=Using where',
  ];
  const reading = readPlan('mariadb', plan, sql);
  assert.deepEqual(reading.scanned, ['member']);
  assert.deepEqual(reading.filteredReads, [
    { table: 'post', index: 'post_member_id_index', readRows: 9778, drivenBy: 'member' },
  ]);
  assert.deepEqual(filteredScans('mariadb', plan, sql), ['post']);
  assert.equal(suggestedIndex('post', sql), 'CREATE INDEX ON post (handle)');
  // the same join driven from a table the statement filters is that table's scan, not a driven lookup
  const filteredDriver =
    'select * from `post` as `p` join `member` as `m` on `p`.`member_id` = `m`.`id` where `m`.`name` = ? and `p`.`handle` = ?';
  const filteredPlan = [
    'id=1 table=m type=ALL key=NULL rows=4889 Extra=Using where',
    'id=1 table=p type=ref key=post_member_id_index rows=2 Extra=Using where',
  ];
  assert.equal(readPlan('mariadb', filteredPlan, filteredDriver).filteredReads, undefined);
  // TypeORM's paged find with a many-to-one relation: the joined table read through the whole of an index
  const typeorm =
    'SELECT DISTINCT `distinctAlias`.`Loan_id` AS `ids_Loan_id` FROM (SELECT `Loan`.`id` AS `Loan_id`, `Loan__Loan_member`.`id` AS `Loan__Loan_member_id` FROM `loans` `Loan` INNER JOIN `members` `Loan__Loan_member` ON `Loan__Loan_member`.`id`=`Loan`.`member_id` WHERE ((`Loan`.`isbn` = ?))) `distinctAlias` ORDER BY `distinctAlias`.`Loan_borrowed_at` DESC, `Loan_id` ASC LIMIT ?';
  const wholeIndex = [
    'table=Loan__Loan_member type=index possible_keys=PRIMARY key=IDX_c74a rows=20057 Extra=Using index; Using temporary; Using filesort',
    'table=Loan type=ref possible_keys=FK_afd4 key=FK_afd4 rows=10 Extra=Using where',
  ];
  assert.deepEqual(readPlan('mysql2', wholeIndex, typeorm).filteredReads, [
    { table: 'loans', index: 'FK_afd4', readRows: 200570, drivenBy: 'members' },
  ]);
  // a small driving table: its lookups read few rows in all
  const small = ['id=1 table=m type=ALL key=NULL rows=40 Extra=', plan[1] as string];
  assert.equal(readPlan('mariadb', small, sql).filteredReads, undefined);
});

test('filteredScans: whole-table reads that a filter then thins, per dialect', () => {
  const pgPlan = [
    'Hash Left Join  (cost=105.50..3982.13 rows=50 width=79)',
    '  ->  Seq Scan on comments  (cost=0.00..3876.50 rows=50 width=62)',
    "        Filter: (article = 'x'::uuid)",
    '  ->  Hash  (cost=68.00..68.00 rows=3000 width=33)',
    '        ->  Seq Scan on users  (cost=0.00..68.00 rows=3000 width=33)',
  ];
  assert.deepEqual(filteredScans('pg', pgPlan, 'SELECT * FROM comments JOIN users ON … WHERE article = $1'), [
    'comments',
  ]);
  assert.deepEqual(
    filteredScans(
      'mysql2',
      ['id=1 select_type=SIMPLE table=c type=ALL rows=9000 Extra=Using where'],
      'SELECT * FROM comments c WHERE c.post = ?',
    ),
    ['comments'],
  );
  assert.deepEqual(
    filteredScans('mysql2', ['id=1 select_type=SIMPLE table=comments type=ALL rows=9000'], 'SELECT * FROM comments'),
    [],
  );
  assert.deepEqual(filteredScans('better-sqlite3', ['SCAN comments'], 'SELECT * FROM comments WHERE post = ?'), [
    'comments',
  ]);
  assert.deepEqual(filteredScans('better-sqlite3', ['SCAN comments'], 'SELECT * FROM comments'), []);
});

test('MySQL: a walk of a whole index filtered row by row is a full read (type=index, Using where)', () => {
  const plan = [
    'table=ArticleEntity type=index possible_keys=NULL key=PRIMARY rows=1 Extra=Using where; Using temporary',
    'table=ArticleEntity_comments type=ref possible_keys=FK_c2 key=FK_c2 rows=2 Extra=Using index; Distinct',
  ];
  const sql =
    'SELECT DISTINCT ids FROM (SELECT * FROM `article` `ArticleEntity` WHERE `ArticleEntity`.`slug` = ?) `d` LIMIT 1';
  assert.deepEqual(readPlan('mysql', plan, sql).scanned, ['article']);
  assert.deepEqual(filteredScans('mysql', plan, sql), ['article']);
  assert.deepEqual(
    readPlan(
      'mysql',
      ['table=posts type=index key=PRIMARY rows=20 Extra=Using index'],
      'SELECT id FROM posts ORDER BY id LIMIT 20',
    ).scanned,
    [],
    'an index walked in order for a LIMIT, no filter',
  );
});

test("an index suggestion keeps only the columns of its table: not an outer query's alias nor a joined table's", () => {
  const typeorm =
    'SELECT DISTINCT `distinctAlias`.`ArticleEntity_id` FROM (SELECT `ArticleEntity`.`id` AS `ArticleEntity_id` FROM `article` `ArticleEntity` WHERE `ArticleEntity`.`slug` = ?) `distinctAlias` ORDER BY `distinctAlias`.`ArticleEntity_id` ASC LIMIT 1';
  assert.equal(suggestedIndex('article', typeorm), 'CREATE INDEX ON article (slug)');
  const unqualified = typeorm.replace('ORDER BY `distinctAlias`.`ArticleEntity_id`', 'ORDER BY `ArticleEntity_id`');
  assert.equal(
    suggestedIndex('article', unqualified),
    'CREATE INDEX ON article (slug)',
    'an output alias is no column',
  );
  assert.equal(
    suggestedIndex('posts', 'SELECT posts.created AS created FROM posts WHERE author = $1 ORDER BY created'),
    'CREATE INDEX ON posts (author, created)',
  );
  const joined =
    'SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = $1 AND u.country = $2 ORDER BY o.created_at';
  assert.equal(suggestedIndex('orders', joined), 'CREATE INDEX ON orders (status, created_at)');
  assert.equal(
    suggestedIndex('products', 'SELECT * FROM products WHERE brand = $1 ORDER BY price'),
    'CREATE INDEX ON products (brand, price)',
  );
});

test("MySQL/MariaDB: a subquery's result (<derived2>) is no table; the table read in full inside it is", () => {
  // an ORM's find-one with eager joins: the row is picked in a derived table by an unindexed column, then joined
  const sql =
    'SELECT `Post`.*, `tags`.`name` AS `tags.name` FROM (SELECT `Post`.`id`, `Post`.`handle` FROM `posts` AS `Post` WHERE `Post`.`handle` = ? LIMIT ?) AS `Post` LEFT OUTER JOIN `post_tags` AS `tags` ON `Post`.`id` = `tags`.`post_id`';
  const plan = [
    'table=<derived2> type=ALL possible_keys=NULL key=NULL rows=2 Extra=',
    'table=tags type=ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=Using index',
    'table=Post type=ALL possible_keys=NULL key=NULL rows=28784 Extra=Using where',
  ];
  const reading = readPlan('mariadb', plan, sql);
  assert.deepEqual(reading.scanned, ['posts']);
  assert.equal(reading.filteredReads, undefined, 'the derived rows drive no lookup of their own');
  assert.deepEqual(filteredScans('mariadb', plan, sql), ['posts']);
  assert.deepEqual(
    readPlan('mysql2', ['table=<union1,2> type=ALL rows=40 Extra=Using temporary'], 'SELECT 1').scanned,
    [],
  );
});

test('MySQL/MariaDB: a whole index walked with no filter and no LIMIT (a count over a join) reads all of the table', () => {
  const count =
    'SELECT count(DISTINCT(`p`.`id`)) AS `count` FROM `posts` AS `p` LEFT OUTER JOIN `post_tags` AS `t` ON `p`.`id` = `t`.`post_id`';
  const plan = [
    'table=p type=index possible_keys=NULL key=author_id rows=28784 Extra=Using index',
    'table=t type=ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=Using where; Using index',
  ];
  assert.deepEqual(readPlan('mariadb', plan, count).scanned, ['posts']);
  assert.deepEqual(filteredScans('mariadb', plan, count), [], 'nothing filters it: no index would narrow it');
  // a small table walked whole to join is read in passing
  const small = ['table=p type=index possible_keys=NULL key=author_id rows=40 Extra=Using index'];
  assert.deepEqual(readPlan('mariadb', small, count).scanned, []);
  // with a LIMIT the walk stops at the page's last row
  const page = 'SELECT `p`.`id` FROM `posts` AS `p` ORDER BY `p`.`id` LIMIT 20';
  assert.deepEqual(readPlan('mariadb', [plan[0] as string], page).scanned, []);
});

test("MySQL's estimate for an ordered index walk under a LIMIT is the LIMIT, not the rows walked: no examined count", () => {
  const statement = 'SELECT id FROM shows WHERE DATE(opens_at) = ? ORDER BY opens_at, id LIMIT ?';
  const walk = ['table=shows type=index possible_keys=NULL key=shows_opens_idx rows=100 Extra=Using where'];
  assert.deepEqual(readPlan('mysql2', walk, statement), { scanned: ['shows'], sorted: false });
  const whole = ['table=shows type=ALL possible_keys=NULL key=NULL rows=900000 Extra=Using where; Using filesort'];
  assert.deepEqual(readPlan('mysql2', whole, statement).scannedRows, { shows: 900_000 });
});

test("SQLite's range read through an index that leaves out the filter's equality is a filtered read; one that serves both is not", () => {
  // an agent's leads of the last 90 days: the index on created_at reads the whole range to test the agent
  const sql =
    'select "source", count(*) from "leads" where ("leads"."agent_id" = ? and "leads"."created_at" >= ?) group by "leads"."source"';
  const wide = ['SEARCH leads USING INDEX leads_created_idx (created_at>?)', 'USE TEMP B-TREE FOR GROUP BY'];
  assert.deepEqual(readPlan('better-sqlite3', wide, sql).filteredReads, [
    { table: 'leads', index: 'leads_created_idx' },
  ]);
  assert.equal(suggestedIndex('leads', sql), 'CREATE INDEX ON leads (agent_id, created_at)');
  const served = ['SEARCH leads USING INDEX leads_agent_created (agent_id=? AND created_at>?)'];
  assert.equal(readPlan('better-sqlite3', served, sql).filteredReads, undefined);
  // a range on the other column is no equality the index could start with
  const ranged = 'select * from leads where created_at >= ? and score > ?';
  assert.equal(
    readPlan('sqlite3', ['SEARCH leads USING INDEX leads_created_idx (created_at>?)'], ranged).filteredReads,
    undefined,
  );
});

test('PostgreSQL: a scan of a few pages, or of a system catalog, is no table to index, whatever its share', () => {
  // a token lookup in a one-row users table: the whole plan, yet a page read in microseconds
  const token = [
    'Limit  (cost=0.00..1.01 rows=1 width=32)',
    '  ->  Seq Scan on staff  (cost=0.00..1.01 rows=1 width=32)',
    "        Filter: (((token)::text = 'x'::text) AND ((status)::text = 'active'::text))",
  ];
  assert.deepEqual(readPlan('pg', token, 'SELECT id FROM staff WHERE token = $1 AND status = $2 LIMIT 1').scanned, []);
  // a schema introspection's read of the server's own catalogs
  const catalog = [
    'Sort  (cost=146.28..146.33 rows=19 width=121)',
    '  ->  Hash Right Join  (cost=24.07..145.88 rows=19 width=121)',
    '        ->  Seq Scan on pg_description des  (cost=0.00..108.21 rows=5137 width=29)',
    '              Filter: (objsubid = 0)',
    '        ->  Hash  (cost=23.84..23.84 rows=19 width=72)',
    '              ->  Seq Scan on pg_class rel  (cost=0.00..23.84 rows=19 width=72)',
  ];
  const introspect = 'SELECT rel.relname FROM pg_class rel LEFT JOIN pg_description des ON rel.oid = des.objoid';
  assert.deepEqual(readPlan('pg', catalog, introspect).scanned, []);
  // a table of a few hundred pages filtered whole is still one
  const shelf = ['Seq Scan on shelves  (cost=0.00..420.00 rows=3 width=40)', "  Filter: (label = 'x'::text)"];
  assert.deepEqual(readPlan('pg', shelf, 'SELECT * FROM shelves WHERE label = $1').scanned, ['shelves']);
});

test('a range an index finds, sorted whole for one page, is a read the index should hold the sort for', () => {
  const sql =
    'select a.id, a.action from audit_log as a left join users as u on u.id = a.actor_user_id where a.tenant_id = ? order by a.created_at desc limit ? offset ?';
  const mariadb = [
    'id=1 select_type=SIMPLE table=a type=range possible_keys=tenant_idx key=tenant_idx rows=97944 Extra=Using index condition; Using filesort',
    'id=1 select_type=SIMPLE table=u type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=Using where',
  ];
  assert.deepEqual(readPlan('mysql2', mariadb, sql).filteredReads, [
    { table: 'audit_log', index: 'tenant_idx', readRows: 97944, sortedForPage: true },
  ]);
  // without a LIMIT every sorted row is returned: the sort is the answer's, not a page's
  assert.equal(readPlan('mysql2', mariadb, sql.replace(/ limit.*$/, '')).filteredReads, undefined);
  const pg = [
    'Limit  (cost=20011.76..20011.89 rows=51 width=113)',
    '  ->  Sort  (cost=20001.76..20246.62 rows=97944 width=113)',
    '        Sort Key: created_at DESC',
    '        ->  Bitmap Heap Scan on audit_log a  (cost=1838.28..16903.89 rows=97944 width=113)',
    '              Recheck Cond: (tenant_id = 7)',
    '              ->  Bitmap Index Scan on audit_log_tenant_idx  (cost=0.00..1813.79 rows=97944 width=0)',
    '                    Index Cond: (tenant_id = 7)',
  ];
  assert.deepEqual(readPlan('pg', pg).filteredReads, [
    { table: 'audit_log', index: 'audit_log_tenant_idx', readRows: 97944, sortedForPage: true },
  ]);
  // a few hundred rows sorted is cheap, and a sort with no LIMIT above it returns them all
  assert.equal(
    readPlan(
      'pg',
      pg.map((line) => line.replace('rows=97944', 'rows=300')),
    ).filteredReads,
    undefined,
  );
  assert.equal(
    readPlan(
      'pg',
      pg.slice(1).map((line) => line.slice(6)),
    ).filteredReads,
    undefined,
  );
});
