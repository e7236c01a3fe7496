import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lateFilter } from './late-filter.js';

// a timeline: the posts of the people a reader subscribes to, newest first, no page
const timeline =
  'SELECT p.*, w.name FROM posts p JOIN writers w ON p.writer_id = w.id JOIN subscriptions s ON w.id = s.writer_id WHERE s.reader_id = ? ORDER BY p.published_at DESC';
const fromPosts = [
  'table=p type=ALL possible_keys=posts_writer_id key=NULL rows=48000 Extra=Using filesort',
  'table=w type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
  'table=s type=eq_ref possible_keys=PRIMARY,subscriptions_reader_id key=PRIMARY rows=1 Extra=Using index',
];

test('a full read of a table the statement does not filter, the filtered table looked up per row after it', () => {
  assert.deepEqual(lateFilter(fromPosts, timeline, 'posts'), { table: 'subscriptions', columns: ['reader_id'] });
});

test('the join already starts from the filtered table, or the read table has a filter of its own: none', () => {
  const fromSubscriptions = [
    'table=s type=ref possible_keys=subscriptions_reader_id key=subscriptions_reader_id rows=20 Extra=Using temporary; Using filesort',
    'table=w type=eq_ref possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
    'table=p type=ref possible_keys=posts_writer_id key=posts_writer_id rows=6 Extra=',
  ];
  assert.equal(lateFilter(fromSubscriptions, timeline, 'posts'), undefined);
  const ownFilter = timeline.replace('WHERE s.reader_id = ?', 'WHERE s.reader_id = ? AND p.draft = 0');
  assert.equal(lateFilter(fromPosts, ownFilter, 'posts'), undefined);
});

test('a table of a subquery in the select list, looked up per row after the full read, is no table of the join', () => {
  // one post by its slug, its likes counted per row, and whether anyone follows its writer joined by ON alone
  const sql =
    'select p.id, (select count(l.id) from likes l where l.post_id = p.id and l.state = ?) as likes from posts p join writers w on p.writer_id = w.id left join follows f on f.writer_id = w.id where p.slug = ?';
  const plan = [
    'table=p type=const possible_keys=posts_slug key=posts_slug rows=1 Extra=',
    'table=w type=const possible_keys=PRIMARY key=PRIMARY rows=1 Extra=',
    'table=f type=ALL possible_keys=NULL key=NULL rows=99000 Extra=Using where',
    'table=l type=ref possible_keys=likes_post_id key=likes_post_id rows=5 Extra=Using index condition; Using where',
  ];
  assert.equal(lateFilter(plan, sql, 'follows'), undefined);
});
