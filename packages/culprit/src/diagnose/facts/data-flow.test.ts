import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundNames, enclosingLoop, independentWindows, iterationsIndependent, usedNames } from './data-flow.js';

const lines = (text: string) => text.split('\n');

describe('data flow between awaited calls', () => {
  it('binds declared, destructured and assigned names', () => {
    assert.deepEqual([...boundNames('const user = await getUser(id);')], ['user']);
    assert.deepEqual([...boundNames('const { data: team, meta } = await api.get("/teams/" + id);')], ['team', 'meta']);
    assert.deepEqual([...boundNames('let [a, b] = await Promise.all([x(), y()]);')], ['a', 'b']);
    assert.deepEqual([...boundNames('  profile = await load(id);')], ['profile']);
    assert.deepEqual([...boundNames('for (const { id, name: label } of rows) {')], ['id', 'label']);
    assert.deepEqual([...boundNames('for await (let key in table) {')], ['key']);
  });

  it('a loop over an earlier result depends on it: its first iteration is no call beside that one', () => {
    const source = lines(`async function list(req) {
  let result = { rows: [] };
  result = await Order.findAll(req.query);

  for (const order of result.rows) {
    const lines = await order.getLines();
    await addCustomer(order);
    await addTotals(order);
  }
}`);
    assert.deepEqual(independentWindows(source, [3, 6, 7, 8]), [[3], [6, 7, 8]]);
  });

  it('a guard on a result (404 when it is missing) decides whether the later calls run: they wait for it', () => {
    const source = lines(`async function card(req) {
  const [shop] = await db.query('SELECT * FROM shops WHERE id = ?', [req.id]);
  if (!shop) throw new NotFound('no such shop');
  const sales = await salesOf(req.id);
  const stock = await stockOf(req.id);
  const staff = await staffOf(req.id);
  return { shop, sales, stock, staff };
}`);
    assert.deepEqual(independentWindows(source, [2, 4, 5, 6]), [[2], [4, 5, 6]]);
    const block = lines(`async function card(req, res) {
  const shop = await shops.get(req.id);
  if (shop === undefined) {
    res.status(404).end();
    return;
  }
  const sales = await salesOf(req.id);
  const stock = await stockOf(req.id);
  return { shop, sales, stock };
}`);
    assert.deepEqual(independentWindows(block, [2, 7, 8]), [[2], [7, 8]]);
    // a check that only logs lets the later calls run whatever it found
    const logged = lines(`async function card(req) {
  const shop = await shops.get(req.id);
  if (!shop) log.warn('no shop', req.id);
  const sales = await salesOf(req.id);
  const stock = await stockOf(req.id);
  return { shop, sales, stock };
}`);
    assert.deepEqual(independentWindows(logged, [2, 4, 5]), [[2, 4, 5]]);
  });

  it('uses names, not the properties read from them', () => {
    assert.deepEqual([...usedNames('getTeam(user.teamId)')].sort(), ['getTeam', 'user']);
  });

  it('a query builder given an earlier result carries it to the statements it then runs', () => {
    const source = lines(`async function list(query) {
  const qb = repo.createQueryBuilder('a').select('a.*');
  if ('author' in query) {
    const author = await users.findOne({ username: query.author });
    qb.andWhere({ author: author.id });
  }
  const res = await qb.clone().count('id', true).execute('get');
  const rows = await qb.getResult();
  return { rows, count: res.count };
}`);
    assert.deepEqual(independentWindows(source, [4, 7, 8]), [[4], [7, 8]]);
    // a builder no result reaches stays independent of the lookup
    const unrelated = lines(`async function list(query) {
  const author = await users.findOne({ username: query.author });
  qb.andWhere({ published: true });
  const res = await qb.clone().count();
  const rows = await qb.getResult();
  return { author, rows, res };
}`);
    assert.deepEqual(independentWindows(unrelated, [2, 4, 5]), [[2, 4, 5]]);
  });

  it('three independent awaits make one window', () => {
    const source = lines(`async function dashboard(id) {
  const profile = await getJson(\`/users/\${id}\`);
  const orders = await getJson(\`/orders?userId=\${id}\`);
  const recs = await getJson(\`/recommendations/\${id}\`);
  return { profile, orders, recs };
}`);
    assert.deepEqual(independentWindows(source, [2, 3, 4]), [[2, 3, 4]]);
  });

  it('a chain where each call needs the previous answer is one window per call', () => {
    const source = lines(`async function orgOf(id) {
  const user = await getJson(\`/users/\${id}\`);
  const team = await getJson(\`/teams/\${user.teamId}\`);
  const org = await getJson(\`/orgs/\${team.orgId}\`);
}`);
    assert.deepEqual(independentWindows(source, [2, 3, 4]), [[2], [3], [4]]);
  });

  it('follows a result through a derived name and across a multi-line call', () => {
    const source = lines(`async function page(id) {
  const account = await accounts.find(id);
  const plan = await plans.find(id);
  const ownerId = account.owner;
  const owner = await users.find(
    ownerId,
  );
  const invoices = await billing.list(id);
}`);
    assert.deepEqual(independentWindows(source, [2, 3, 5, 8]), [
      [2, 3],
      [5, 8],
    ]);
  });

  it('reads a query builder chained over several lines as one statement', () => {
    const source = lines(`async function bySlug(slug) {
  const links = await db("post_labels")
    .select()
    .where({ post: slug })

  let labels = []
  if (links.length > 0) {
    labels = await db("labels")
      .select()
      .whereIn("id", links.map((l) => l.label))
  }
  const writer = await db("users")
    .first()
    .where({ slug })
}`);
    assert.deepEqual(independentWindows(source, [2, 8, 12]), [[2], [8, 12]]);
  });

  it('finds the loop around a line, past inner blocks, and stops at the function', () => {
    const source = lines(`async function withRetry(call) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      await sleep(10);
    }
  }
}
async function once() {
  if (ready) {
    return await call();
  }
}`);
    assert.deepEqual(enclosingLoop(source, 4), { header: 2, end: 8 });
    assert.equal(enclosingLoop(source, 12), undefined);
  });

  it('iterations over independent endpoints are independent; a cursor or an early exit is not', () => {
    const overview = lines(`async function overview(id) {
  const parts = {};
  for (const path of [\`/users/\${id}\`, \`/orders?userId=\${id}\`]) {
    parts[path] = await getJson(path);
  }
  return parts;
}`);
    assert.equal(iterationsIndependent(overview, { header: 3, end: 5 }, 4), true);
    const pages = lines(`async function pages() {
  let cursor = 1;
  while (cursor <= 3) {
    const page = await getJson(\`/items?after=\${cursor}\`);
    cursor = page.next;
  }
}`);
    assert.equal(iterationsIndependent(pages, { header: 3, end: 6 }, 4), false);
    const mirrors = lines(`async function first(hosts) {
  for (const host of hosts) {
    const response = await fetch(host);
    if (response.ok) return response.json();
  }
}`);
    assert.equal(iterationsIndependent(mirrors, { header: 2, end: 5 }, 3), false);
  });
});
