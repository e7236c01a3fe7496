import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueryRecord, SourceLocation } from '../../capture/types.js';
import { factsOf } from '../facts/request-facts.js';
import { capture, request } from '../test-support/captures.js';
import { excessRows } from './excess-rows.js';

const driver: SourceLocation = { file: '/app/node_modules/mysql2/promise.js', line: 90, column: 1, package: 'mysql2' };
const handler: SourceLocation = {
  file: '/app/src/routes/orders.js',
  line: 12,
  column: 5,
  functionName: 'exportOrders',
};
const service: SourceLocation = {
  file: '/app/src/services/history.js',
  line: 17,
  column: 37,
  functionName: 'forCustomer',
};
const repo: SourceLocation = { file: '/app/src/repos/orders.js', line: 3, column: 35, functionName: 'listAll' };

const sources: Record<string, string> = {
  '/app/src/repos/orders.js': `class Orders {
  async listAll() {
    const [rows] = await this.pool.query('SELECT id, customer_id, total FROM orders ORDER BY id');
    return rows;
  }
}`,
};

const loadAll: QueryRecord = {
  driver: 'mysql2',
  sql: 'SELECT id, customer_id, total FROM orders ORDER BY id',
  durationMs: 300,
  rows: 80_000,
  stack: [driver, repo, service, handler],
};

function findings(repoSource: string) {
  const record = request({
    url: '/customers/7/orders',
    wallMs: 900,
    cpuMs: 600,
    bytes: 4_000,
    items: 12,
    queries: [loadAll],
  });
  const read = (file: string) => (file === repo.file ? repoSource : sources[file]);
  return excessRows.run(factsOf(capture([record]), read));
}

test("a whole table loaded through a repository's listAll(): the service line that called it, not the wrapper", () => {
  const [finding] = findings(sources[repo.file] as string);
  assert.equal(finding?.rule, 'whole-table-load');
  assert.deepEqual(finding?.location, service);
});

test('a repository function that filters the rows itself keeps the blame', () => {
  const filtering = `class Orders {
  async listAll(customerId) {
    const [rows] = await this.pool.query('SELECT id, customer_id, total FROM orders ORDER BY id');
    return rows.filter((row) => row.customer_id === customerId);
  }
}`;
  const [finding] = findings(filtering);
  assert.deepEqual(finding?.location, repo);
});
