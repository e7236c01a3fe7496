import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { unreachable } from '../queries/test-support/databases.js';
import { type RequestScope, runInScope, setQueriesWanted } from '../request-context.js';
import { installIoredisHooks } from './ioredis.js';
import { installNodeRedisHooks } from './node-redis.js';
import type { RawRedisCall } from './raw-call.js';

const skip = await unreachable('Redis', '127.0.0.1', 6379);
// before the clients load, as the preloaded probe would be
installIoredisHooks();
installNodeRedisHooks();
const require = createRequire(import.meta.url);
const PREFIX = `culprit:test:remote:${process.pid}`;

function scope(): RequestScope {
  return { requestId: 1, startedAt: performance.now(), queries: [], closed: false };
}

function calls(request: RequestScope): RawRedisCall[] {
  return (request.remote ?? []) as RawRedisCall[];
}

interface Client {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/** The same request shape on every client: a loop of GETs, a pipeline, a MULTI. */
async function requestShapes(client: Client, pipeline: () => Promise<unknown>, multi: () => Promise<unknown>) {
  for (const id of [1, 2, 3]) await client.get(`${PREFIX}:user:${id}`);
  await pipeline();
  await multi();
}

function assertShapes(request: RequestScope, client: string): void {
  const seen = calls(request);
  assert.deepEqual(
    seen.map((c) => [c.client, c.command, c.commands]),
    [
      [client, 'GET', 1],
      [client, 'GET', 1],
      [client, 'GET', 1],
      [client, 'PIPELINE', 3],
      [client, 'MULTI', 2],
    ],
  );
  assert.equal(seen[0]?.key, `${PREFIX}:user:1`);
  assert.equal(seen[0]?.replyBytes, 'alice'.length, 'the reply size');
  assert.equal(seen[3]?.batch, 'GET ×3');
  assert.equal(seen[4]?.batch, 'SET ×1, GET ×1');
  for (const call of seen) {
    assert.ok(call.endedAt !== undefined && call.endedAt >= call.startedAt, `${call.command} finished`);
    assert.ok(
      call.frames.frames().some((f) => f.url.includes('redis.test.ts')),
      `${call.command}: the app's frame`,
    );
  }
}

describe('ioredis', { skip }, () => {
  const Redis = require('ioredis') as typeof import('ioredis').default;
  let client: import('ioredis').default;
  before(async () => {
    client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await client.connect();
    await client.set(`${PREFIX}:user:1`, 'alice');
  });
  after(async () => {
    await client.del(`${PREFIX}:user:1`, `${PREFIX}:x`);
    client.disconnect();
  });

  it('a command per round trip, a pipeline and a MULTI as one each, with their count', async () => {
    setQueriesWanted(true);
    const request = scope();
    await runInScope(request, () =>
      requestShapes(
        client,
        () => client.pipeline().get(`${PREFIX}:a`).get(`${PREFIX}:b`).get(`${PREFIX}:c`).exec(),
        () => client.multi().set(`${PREFIX}:x`, '1').get(`${PREFIX}:x`).exec(),
      ),
    );
    assertShapes(request, 'ioredis');
  });

  it("a scan stream's SCANs, sent from the stream's reads, carry the line that made the stream", async () => {
    setQueriesWanted(true);
    await client.mset(...Array.from({ length: 30 }, (_, i) => [`${PREFIX}:scan:${i}`, String(i)]).flat());
    const request = scope();
    const keys = await runInScope(
      request,
      () =>
        new Promise<string[]>((resolve, reject) => {
          const found: string[] = [];
          const stream = client.scanStream({ match: `${PREFIX}:scan:*`, count: 5000 });
          stream.on('data', (batch: string[]) => found.push(...batch));
          stream.on('end', () => resolve(found));
          stream.on('error', reject);
        }),
    );
    await client.del(...Array.from({ length: 30 }, (_, i) => `${PREFIX}:scan:${i}`));
    assert.equal(keys.length, 30);
    const scans = calls(request).filter((call) => call.command === 'SCAN');
    assert.ok(scans.length >= 1, 'SCAN sent');
    for (const call of scans) {
      assert.ok(
        call.frames.frames().some((f) => f.url.includes('redis.test.ts')),
        "each SCAN names the app's line that made the stream",
      );
    }
  });

  it('records nothing while no trace listens, and errors reach the app unchanged', async () => {
    setQueriesWanted(false);
    const idle = scope();
    await runInScope(idle, () => client.get(`${PREFIX}:user:1`));
    assert.equal(idle.remote, undefined);
    setQueriesWanted(true);
    const failing = scope();
    await runInScope(failing, () => assert.rejects(client.call('NOSUCHCOMMAND'), /unknown command/i));
    assert.match(calls(failing)[0]?.error ?? '', /unknown command/i);
  });
});

for (const [label, name] of [
  ['node-redis 5', 'redis'],
  ['node-redis 4', 'redis4'],
] as const) {
  describe(label, { skip }, () => {
    const { createClient } = require(name) as typeof import('redis');
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    before(async () => {
      await client.connect();
      await client.set(`${PREFIX}:user:1`, 'alice');
    });
    after(async () => {
      await client.del([`${PREFIX}:user:1`, `${PREFIX}:x`]);
      await client.quit();
    });

    it('a command per round trip; commands sent together (pipeline, MULTI, Promise.all) as one', async () => {
      setQueriesWanted(true);
      const request = scope();
      await runInScope(request, () =>
        requestShapes(
          client,
          () => client.multi().get(`${PREFIX}:a`).get(`${PREFIX}:b`).get(`${PREFIX}:c`).execAsPipeline(),
          () => client.multi().set(`${PREFIX}:x`, '1').get(`${PREFIX}:x`).exec(),
        ),
      );
      assertShapes(request, 'node-redis');
      const together = scope();
      await runInScope(together, () => Promise.all([1, 2, 3].map((id) => client.get(`${PREFIX}:user:${id}`))));
      assert.deepEqual(
        calls(together).map((c) => [c.command, c.commands]),
        [['PIPELINE', 3]],
      );
    });

    it("a command's stack is taken below the client's executor: the command method, then the app's frame", async () => {
      setQueriesWanted(true);
      const request = scope();
      await runInScope(request, () => client.get(`${PREFIX}:user:1`));
      const frames = calls(request)[0]?.frames.frames() ?? [];
      // below sendCommand it held three of node-redis's frames first (5), or the hook's and the queue's (4)
      const app = frames.findIndex((frame) => frame.url.includes('redis.test.ts'));
      assert.equal(app, 1, JSON.stringify(frames.slice(0, 4)));
    });

    it('one stack per round trip: a command joining one sent together with it takes none', async () => {
      setQueriesWanted(true);
      const capture = Error.captureStackTrace;
      let captures = 0;
      const counted = () => {
        Error.captureStackTrace = (target: object, below?: (...args: never[]) => unknown) => {
          captures += 1;
          capture(target, below);
        };
      };
      const together = scope();
      await runInScope(together, () => {
        counted();
        try {
          return Promise.all([1, 2, 3].map((id) => client.get(`${PREFIX}:user:${id}`)));
        } finally {
          Error.captureStackTrace = capture;
        }
      });
      assert.equal(captures, 1);
      assert.equal(calls(together)[0]?.commands, 3);
    });

    it('an error reply ends the call with its error and reaches the app unchanged', async () => {
      setQueriesWanted(true);
      const failing = scope();
      await runInScope(failing, () => assert.rejects(client.sendCommand(['NOSUCHCOMMAND']), /unknown command/i));
      const [call] = calls(failing);
      assert.match(call?.error ?? '', /unknown command/i);
      assert.ok(call?.endedAt !== undefined, 'the failed call ended');
    });
  });
}
