import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyShape, pathTemplate } from './fold-names.js';

describe('pathTemplate', () => {
  it('folds numeric, uuid, hex and slug ids, keeps words and versions, drops the query', () => {
    assert.equal(pathTemplate('/users/42/orders?limit=5'), '/users/:id/orders');
    assert.equal(pathTemplate('/v2/items/3fa85f64-5717-4562-b3fc-2c963f66afa6'), '/v2/items/:id');
    assert.equal(pathTemplate('/objects/5f1d7e9a8b3c2d1e0f123456/tags'), '/objects/:id/tags');
    assert.equal(pathTemplate('/people/ada%40example.com'), '/people/:id');
    assert.equal(pathTemplate('/api/recommendations'), '/api/recommendations');
    assert.equal(pathTemplate('/'), '/');
  });
});

describe('keyShape', () => {
  it('folds the id parts of a key and keeps its words and separators', () => {
    assert.equal(keyShape('user:42:profile'), 'user:?:profile');
    assert.equal(keyShape('session:3fa85f64-5717-4562-b3fc-2c963f66afa6'), 'session:?');
    assert.equal(keyShape('cache/products.7'), 'cache/products.?');
    assert.equal(keyShape('leaderboard'), 'leaderboard');
  });

  it('folds a time or a day written into the key whole, so its runs share one shape', () => {
    assert.equal(keyShape('board:3:25:2026-12-01T02:55:01.665Z'), 'board:?:?:?');
    assert.equal(keyShape('board:3:2026-12-01T02:55:01.225+01:00'), 'board:?:?');
    assert.equal(keyShape('report:2026-12-01:totals'), 'report:?:totals');
    assert.equal(pathTemplate('/reports/2026-12-01'), '/reports/:id');
  });

  it('folds a serial number behind a kind prefix, not a version', () => {
    assert.equal(keyShape('presence:member:u701'), 'presence:member:?');
    assert.equal(keyShape('cart:c-1001:lines'), 'cart:?:lines');
    assert.equal(pathTemplate('/orders/ord_42'), '/orders/:id');
    assert.equal(pathTemplate('/api/v2/oauth2/token'), '/api/v2/oauth2/token');
  });
});
