// measure() on Redis: an app of the test's own reads one key per item (a Redis N+1) or one MGET / pipeline,
// through ioredis and node-redis, served by Fastify's inject in this very process. Needs the Redis server on
// 127.0.0.1:6379 (skipped with a message where it is absent).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { unreachable } from '../../probe/queries/test-support/databases.js';
import { assertScales } from '../scaling/assert-scales.js';
import { assertStaysWithin } from './assert.js';
import { measure } from './measure.js';

const skip = await unreachable('Redis', '127.0.0.1', 6379);
const PREFIX = `culprit:test:measure:${process.pid}`;
const IDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** The 1-based line of this file that carries `marker` (a comment). */
const lineOf = (marker: string) =>
  readFileSync(new URL(import.meta.url), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(marker) && !line.includes('lineOf(')) + 1;

describe('measure() counts Redis round trips', { skip }, () => {
  let ioredis: Redis;
  let nodeRedis: ReturnType<typeof createClient>;
  let app: FastifyInstance;
  let size = IDS.length;

  before(async () => {
    ioredis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await ioredis.connect();
    nodeRedis = createClient({ url: 'redis://127.0.0.1:6379' });
    await nodeRedis.connect();
    for (const id of IDS) await ioredis.set(`${PREFIX}:user:${id}`, `user ${id}`);
    app = Fastify();
    const ids = () => IDS.slice(0, size);
    app.get('/loop', async () => {
      const users = [];
      for (const id of ids()) users.push(await ioredis.get(`${PREFIX}:user:${id}`)); // one GET per item
      return users;
    });
    app.get('/mget', async () => ioredis.mget(ids().map((id) => `${PREFIX}:user:${id}`)));
    app.get('/node-redis-loop', async () => {
      const users = [];
      for (const id of ids()) users.push(await nodeRedis.get(`${PREFIX}:user:${id}`)); // node-redis per item
      return users;
    });
    app.get('/node-redis-all', async () => Promise.all(ids().map((id) => nodeRedis.get(`${PREFIX}:user:${id}`))));
    app.get('/node-redis-pipeline', async () => {
      const batch = nodeRedis.multi();
      for (const id of ids()) batch.get(`${PREFIX}:user:${id}`);
      return batch.execAsPipeline();
    });
  });

  after(async () => {
    await app?.close();
    if (ioredis) {
      await ioredis.del(...IDS.map((id) => `${PREFIX}:user:${id}`));
      ioredis.disconnect();
    }
    await nodeRedis?.quit();
  });

  it('ioredis: a GET per item breaks repeatedRedisCalls at the loop line; one MGET stays within', async () => {
    const loop = await measure(() => app.inject('/loop'));
    assert.equal(loop.redisCalls.length, IDS.length);
    assert.deepEqual(
      [...new Set(loop.redisCalls.map((c) => `${c.client} ${c.command} ${c.key}`))],
      [`ioredis GET ${PREFIX.replace(String(process.pid), '?')}:user:?`],
      'one command on one key shape: ids folded, values never kept',
    );
    const line = lineOf('// one GET per item');
    assert.match(
      `${loop.redisCalls[0]?.location?.file}:${loop.redisCalls[0]?.location?.line}`,
      new RegExp(`measure-redis\\.test\\.ts:${line}$`),
    );
    assert.throws(
      () => assertStaysWithin(loop, { repeatedRedisCalls: 1 }),
      new RegExp(
        `repeated Redis command: ${IDS.length} times at .*measure-redis\\.test\\.ts:${line} \\(budget 1\\)\\n {4}GET `,
      ),
    );
    assert.throws(() => assertStaysWithin(loop, { redisCalls: 2 }), /Redis round trips: 8 \(budget 2\)/);

    const mget = await measure(() => app.inject('/mget'));
    assert.deepEqual(
      mget.redisCalls.map((c) => c.command),
      ['MGET'],
    );
    assertStaysWithin(mget, { repeatedRedisCalls: 1, redisCalls: 1 });
    assert.equal(mget.queries.length, 0, 'Redis commands are not SQL queries');
  });

  it('node-redis: awaited GETs per item are repeats; GETs sent in one tick and a pipeline are one round trip', async () => {
    const loop = await measure(() => app.inject('/node-redis-loop'));
    assert.equal(loop.redisCalls.length, IDS.length);
    assert.ok(loop.redisCalls.every((c) => c.client === 'node-redis' && c.command === 'GET'));
    assert.throws(
      () => assertStaysWithin(loop, { repeatedRedisCalls: 1 }),
      new RegExp(`repeated Redis command: 8 times at .*measure-redis\\.test\\.ts:${lineOf('// node-redis per item')} `),
    );

    // node-redis writes the commands queued in one synchronous run together: one round trip, as on the wire
    const together = await measure(() => app.inject('/node-redis-all'));
    assert.deepEqual(
      together.redisCalls.map((c) => [c.command, c.commands]),
      [['PIPELINE', IDS.length]],
    );

    const pipeline = await measure(() => app.inject('/node-redis-pipeline'));
    assert.equal(pipeline.redisCalls.length, 1);
    assert.equal(pipeline.redisCalls[0]?.commands, IDS.length);
    assert.equal(pipeline.redisCalls[0]?.batch, `GET ×${IDS.length}`);
    assertStaysWithin(pipeline, { redisCalls: 1, repeatedRedisCalls: 1 });
  });

  it('assertScales: round trips that grow with the items fail, naming the line; a batch does not grow', async () => {
    const request = (path: string) => () => app.inject(path);
    const seed = async (n: number) => {
      size = n;
    };
    try {
      await assert.rejects(
        assertScales({ seed, request: request('/loop'), sizes: [2, 8] }),
        new RegExp(
          `Redis round trips[^\\n]*2[^\\n]*8[\\s\\S]*measure-redis\\.test\\.ts:${lineOf('// one GET per item')}`,
        ),
      );
      await assertScales({ seed, request: request('/node-redis-pipeline'), sizes: [2, 8] });
    } finally {
      size = IDS.length;
    }
  });
});
