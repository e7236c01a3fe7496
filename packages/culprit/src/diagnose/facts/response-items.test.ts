import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectionLine } from './response-items.js';

const lines = (text: string) => text.split('\n');

describe('the line where loaded rows become the response collection', () => {
  it('follows the rows through a derived name into a nested key', () => {
    const source = lines(`export async function exportLedger(req: Request, reply: Reply) {
  const { rows: entries } = await pool.query<Entry>(
    'SELECT * FROM ledger WHERE account = $1',
    [req.params.account],
  );
  const total = entries.reduce((sum, e) => sum + e.amount, 0);
  const shaped = entries.map((e) => ({ ...e, receipt: e.receipt_pdf.toString('base64') }));
  return reply.send({
    data: {
      total,
      items: shaped,
    },
  });
}`);
    assert.equal(collectionLine(source, 2, 'data.items'), 11);
  });

  it('takes a quoted key, an assignment and a shorthand property', () => {
    const quoted = lines(`const list = db.all(sql);
res.json({ 'records': list });`);
    assert.equal(collectionLine(quoted, 1, 'records'), 2);
    const assigned = lines(`let found = await Model.findAll();
const body = {};
body.results = found;`);
    assert.equal(collectionLine(assigned, 1, 'results'), 3);
    const shorthand = lines(`const orders = await repo.orders(id);
const customer = await repo.customer(id);
return { customer, orders };`);
    assert.equal(collectionLine(shorthand, 1, 'orders'), 3);
  });

  it('finds nothing for a top-level array, a statement that binds nothing, or another key', () => {
    const source = lines(`const rows = await knex('events');
return { events: rows };`);
    assert.equal(collectionLine(source, 1, undefined), undefined);
    assert.equal(collectionLine(lines('return repo.findAll();'), 1, 'events'), undefined);
    // the key is set, but from something other than the rows
    const other = lines(`const rows = await knex('events');
return { count: rows.length, events: cached };`);
    assert.equal(collectionLine(other, 1, 'events'), undefined);
  });

  it('stops where the receiving function ends: a later function setting the key is not this one', () => {
    const source = lines(`function load() {
  const rows = stmt.all();
  return rows;
}
function other(rows) {
  return { items: rows };
}`);
    assert.equal(collectionLine(source, 2, 'items'), undefined);
  });
});
