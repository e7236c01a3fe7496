import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainEnd, multipliedJoins, multipliedJoinWritten } from './multiplied-joins.js';

const SIBLINGS =
  'SELECT l.id, l.title, count(DISTINCT p.id) AS photos, count(DISTINCT v.id) AS viewings FROM listings l LEFT JOIN photos p ON p.listing_id = l.id LEFT JOIN viewings v ON v.listing_id = l.id WHERE l.city = $1 GROUP BY l.id ORDER BY l.id LIMIT $2';

// what PostgreSQL plans for it: the joins make ≈1.9M rows, the aggregate folds them into ≈400
const FANNED_PLAN = [
  'Limit  (cost=190412.18..190412.23 rows=20 width=60)',
  '  ->  GroupAggregate  (cost=180170.43..190411.55 rows=400 width=60)',
  '        Group Key: l.id',
  '        ->  Sort  (cost=180170.43..184970.43 rows=1920000 width=44)',
  '              Sort Key: l.id',
  '              ->  Hash Right Join  (cost=1093.02..33441.02 rows=1920000 width=44)',
  '                    Hash Cond: (v.listing_id = l.id)',
  '                    ->  Seq Scan on viewings v  (cost=0.00..1541.00 rows=100000 width=8)',
  '                    ->  Hash  (cost=793.02..793.02 rows=24000 width=40)',
  '                          ->  Hash Right Join  (cost=18.01..793.02 rows=24000 width=40)',
  '                                Hash Cond: (p.listing_id = l.id)',
];

test('two child tables joined to one row and aggregated under GROUP BY multiply each other', () => {
  assert.deepEqual(multipliedJoins(SIBLINGS, FANNED_PLAN, 'postgresql'), {
    parent: 'listings',
    joined: ['photos', 'viewings'],
    joinedRows: 1_920_000,
    groups: 400,
  });
  // a builder's quoted MySQL, summed rather than counted; no plan gate outside PostgreSQL
  assert.deepEqual(
    multipliedJoins(
      'select `a`.`id`, sum(`o`.`total`) as `revenue`, count(`r`.`id`) as `reviews` from `agents` as `a` left join `offers` as `o` on `o`.`agent_id` = `a`.`id` inner join `reviews` as `r` on `a`.`id` = `r`.`agent_id` group by `a`.`id`',
      undefined,
      'mysql',
    ),
    { parent: 'agents', joined: ['offers', 'reviews'] },
  );
});

test('two child tables of a joined table cross per row of it, whatever the statement groups by', () => {
  // a directory of sellers: each seller's gigs, then each gig's completed orders and its reviews
  const directory =
    "SELECT s.id, s.username, COUNT(DISTINCT g.id) AS gig_count, COUNT(DISTINCT o.id) AS completed_orders, COUNT(DISTINCT r.id) AS review_count, ROUND(AVG(r.rating), 2) AS rating FROM sellers s LEFT JOIN gigs g ON g.seller_id = s.id AND g.status = 'active' LEFT JOIN orders o ON o.gig_id = g.id AND o.status = 'completed' LEFT JOIN reviews r ON r.gig_id = g.id WHERE s.level = $1 GROUP BY s.id ORDER BY s.created_at DESC LIMIT $2 OFFSET $3";
  assert.deepEqual(multipliedJoins(directory, undefined, 'postgresql'), {
    parent: 'gigs',
    joined: ['orders', 'reviews'],
  });
  // a query builder's relation joins, unspaced conditions
  assert.deepEqual(
    multipliedJoins(
      'SELECT "gig"."id" AS "gig_id", COUNT(ord.id) AS "orders", COUNT(fav.user_id) AS "favourites" FROM "gigs" "gig" LEFT JOIN "orders" "ord" ON "ord"."gig_id"="gig"."id" AND (ord.status <> \'cancelled\') LEFT JOIN "favourites" "fav" ON "fav"."gig_id"="gig"."id" WHERE "gig"."seller_id" = $1 GROUP BY "gig"."id"',
      undefined,
      'postgresql',
    ),
    { parent: 'gigs', joined: ['orders', 'favourites'] },
  );
});

test('joins that do not multiply: a lookup, a chain, one child, no GROUP BY, a plan that keeps the rows', () => {
  // the agent is one row per listing (joined by its key): only photos has many rows per listing
  assert.equal(
    multipliedJoins(
      'SELECT l.id, a.name, count(p.id) FROM listings l JOIN agents a ON a.id = l.agent_id LEFT JOIN photos p ON p.listing_id = l.id GROUP BY l.id, a.name',
      undefined,
      'postgresql',
    ),
    undefined,
  );
  // a child and its own child: each row of the grandchild belongs to one child row, nothing is crossed
  assert.equal(
    multipliedJoins(
      'SELECT l.id, count(p.id), count(c.id) FROM listings l LEFT JOIN photos p ON p.listing_id = l.id LEFT JOIN photo_comments c ON c.photo_id = p.id GROUP BY l.id',
      undefined,
      'postgresql',
    ),
    undefined,
  );
  // the second child is joined only to filter, not aggregated
  assert.equal(
    multipliedJoins(
      'SELECT l.id, count(p.id) FROM listings l LEFT JOIN photos p ON p.listing_id = l.id JOIN tags t ON t.listing_id = l.id WHERE t.name = $1 GROUP BY l.id',
      undefined,
      'postgresql',
    ),
    undefined,
  );
  assert.equal(multipliedJoins(SIBLINGS.replace(/ GROUP BY l\.id/, ''), undefined, 'postgresql'), undefined);
  // a child or two per row: the plan's joins make a few rows per group
  const fewPerRow = FANNED_PLAN.map((line) =>
    line.replace('rows=1920000', 'rows=1600').replace('rows=24000', 'rows=800'),
  );
  assert.equal(multipliedJoins(SIBLINGS, fewPerRow, 'postgresql'), undefined);
});

test('the line that joins the first multiplying table, however the code writes the join', () => {
  const written = multipliedJoinWritten({ parent: 'listings', joined: ['photos', 'viewings'] });
  for (const line of [
    "    .leftJoin('photos as p', 'p.listing_id', 'l.id')",
    '      LEFT JOIN photos p ON p.listing_id = l.id',
    "    .leftJoin('l.photos', 'p')",
    '    .leftJoin(photos, eq(photos.listingId, listings.id))',
    '    .leftJoin("public.photos", "photos.listing_id", "listings.id")',
  ]) {
    assert.ok(written.test(line), line);
  }
  for (const line of ["    .select(['photos.url'])", "    .leftJoin('photo_tags as t', 't.id', 'l.id')"]) {
    assert.ok(!written.test(line), line);
  }
});

test('a chain of joins (each table the children of the one before) ends at the table whose rows it loads', () => {
  // Sequelize's nested include: albums, their tracks, the tracks' plays
  const nested =
    'SELECT "Album"."id", "tracks"."id" AS "tracks.id", "tracks->plays"."id" AS "tracks.plays.id" FROM "albums" AS "Album" LEFT OUTER JOIN "tracks" AS "tracks" ON "Album"."id" = "tracks"."album_id" LEFT OUTER JOIN "plays" AS "tracks->plays" ON "tracks"."id" = "tracks->plays"."track_id" WHERE "Album"."artist_id" = 7 ORDER BY "Album"."release_date" DESC';
  assert.equal(chainEnd(nested), 'plays');
  assert.equal(chainEnd(SIBLINGS), undefined, 'two children of one row cross');
  assert.equal(chainEnd('SELECT * FROM tracks t JOIN plays p ON p.track_id = t.id'), undefined, 'one join');
});
