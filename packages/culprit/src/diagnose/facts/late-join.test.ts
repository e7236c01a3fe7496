import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lateJoin, lateJoinAdvice, lateJoinHint, lateOrder, reachedFilter } from './late-join.js';

// a shop's newest products, ten a page, each with its seller, and a total of all pages asked of the server
const newest =
  'select SQL_CALC_FOUND_ROWS p.name, p.price, s.shop_name from products as p join sellers as s using(seller_id) left join wishes as w on p.product_id = w.product_id and w.buyer_id = ? order by p.product_id desc limit ?, ?';
const fromSellers = [
  'table=s type=ALL possible_keys=PRIMARY key=NULL rows=20000 Extra=Using temporary; Using filesort',
  'table=p type=ref possible_keys=products_seller key=products_seller rows=4 Extra=',
  'table=w type=ref possible_keys=wishes_product key=wishes_product rows=1 Extra=Using where; Using index',
];

test('a page ordered by a table joined after a full read of an unfiltered one: start from the ordered table', () => {
  assert.deepEqual(lateOrder(fromSellers, newest, 'sellers'), {
    table: 'products',
    columns: ['product_id'],
    countsAll: true,
  });
  const late = lateJoin(fromSellers, newest, 'sellers');
  assert.equal(late?.kind, 'order');
  if (!late) return;
  assert.match(
    lateJoinHint('sellers', ' and sorts it', late),
    /sorts the whole join to keep a page ordered by products/,
  );
  const advice = lateJoinAdvice('sellers', late);
  assert.match(advice, /Start the join from products/);
  assert.match(advice, /SQL_CALC_FOUND_ROWS/);
  assert.doesNotMatch(advice, /CREATE INDEX ON sellers/);
});

test('no LIMIT, no sort, the ordered table read first, or an order on the read table: no late order', () => {
  assert.equal(lateOrder(fromSellers, newest.replace(/ limit \?, \?$/, ''), 'sellers'), undefined);
  const unsorted = fromSellers.map((line) => line.replace('Using temporary; Using filesort', ''));
  assert.equal(lateOrder(unsorted, newest, 'sellers'), undefined);
  const fromProducts = [
    'table=p type=index possible_keys=products_seller key=PRIMARY rows=10 Extra=',
    'table=s type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
  ];
  assert.equal(lateOrder(fromProducts, newest, 'products'), undefined);
  const bySeller = newest.replace('order by p.product_id desc', 'order by s.shop_name, p.product_id desc');
  assert.equal(lateOrder(fromSellers, bySeller, 'sellers'), undefined);
});

// recipes under one label: the label found by its name, its recipes through a link table keyed (recipe, label)
const labelled =
  'select r.title, c.nickname from recipes as r join cooks as c on r.cook_id = c.cook_id join recipe_labels as rl on r.recipe_id = rl.recipe_id join labels as l using(label_id) where l.label_name = ? order by r.recipe_id desc limit 20';
const fromCooks = [
  'table=l type=const possible_keys=PRIMARY,labels_name key=labels_name rows=1 Extra=Using index; Using temporary; Using filesort',
  'table=c type=ALL possible_keys=PRIMARY key=NULL rows=30000 Extra=',
  'table=r type=ref possible_keys=PRIMARY,recipes_cook key=recipes_cook rows=3 Extra=',
  'table=rl type=eq_ref possible_keys=recipe_labels_unique key=recipe_labels_unique rows=1 Extra=Using index',
];

test('a filter on a one-row table reaching a link table by a column no index of it leads with: that index', () => {
  assert.deepEqual(reachedFilter(fromCooks, labelled, 'cooks'), {
    table: 'recipe_labels',
    column: 'label_id',
    via: 'labels',
    viaColumns: ['label_name'],
  });
  const late = lateJoin(fromCooks, labelled, 'cooks');
  assert.equal(late?.kind, 'reach', 'the missing index comes before the join order');
  if (!late) return;
  assert.match(lateJoinHint('cooks', '', late), /CREATE INDEX ON recipe_labels \(label_id\)/);
  assert.match(lateJoinAdvice('cooks', late), /^CREATE INDEX ON recipe_labels \(label_id\)/);
});

test('the same link joined by ON, not USING, is reached the same way', () => {
  const on = labelled.replace('join labels as l using(label_id)', 'join labels as l on l.label_id = rl.label_id');
  assert.deepEqual(reachedFilter(fromCooks, on, 'cooks')?.column, 'label_id');
});

test('the plan starts from the link table already, or the one-row table has no filter: nothing reached', () => {
  const fromLink = [
    'table=l type=const possible_keys=PRIMARY,labels_name key=labels_name rows=1 Extra=Using index; Using temporary; Using filesort',
    'table=rl type=ref possible_keys=recipe_labels_label key=recipe_labels_label rows=150 Extra=Using index',
    'table=r type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
    'table=c type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
  ];
  assert.equal(reachedFilter(fromLink, labelled, 'recipe_labels'), undefined);
  const unfiltered = labelled.replace('where l.label_name = ? ', '');
  assert.equal(reachedFilter(fromCooks, unfiltered, 'cooks'), undefined);
});

test('a statement filtering the joined table, with no LIMIT, keeps the late-filter advice', () => {
  const sql =
    'SELECT p.*, w.name FROM posts p JOIN writers w ON p.writer_id = w.id JOIN subscriptions s ON w.id = s.writer_id WHERE s.reader_id = ? ORDER BY p.published_at DESC';
  const plan = [
    'table=p type=ALL possible_keys=posts_writer_id key=NULL rows=48000 Extra=Using filesort',
    'table=w type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
    'table=s type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=Using index',
  ];
  assert.deepEqual(lateJoin(plan, sql, 'posts'), { kind: 'filter', table: 'subscriptions', columns: ['reader_id'] });
});
