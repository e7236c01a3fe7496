// culprit/register's scopes on demand: the storage idles between recorded requests (on Node 20, its hooks
// off), and what it held before reads as no request once it is enabled again.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { test } from 'node:test';
import {
  closeScope,
  currentScope,
  enterScope,
  hideOpenScope,
  onQueriesWanted,
  openScope,
  queriesWanted,
  type RequestScope,
  scopeCompanion,
  setCompanionsOnDemand,
  setQueriesWanted,
  setScopedOnly,
  setScopesOnDemand,
} from './request-context.js';

const scope = (requestId: number): RequestScope => ({ requestId, startedAt: 0, queries: [], closed: false });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `body` in an async context of its own (as a request's handler runs). */
function inContext<T>(body: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => setImmediate(() => body().then(resolve, reject)));
}

test('overlapping recorded requests keep their scopes until each closes; a later one sees none of theirs', async () => {
  setScopesOnDemand(true);
  try {
    const a = scope(1);
    const b = scope(2);
    let closeA = (): void => {};
    let closeB = (): void => {};
    const aClosed = new Promise<void>((resolve) => {
      closeA = resolve;
    });
    const bClosed = new Promise<void>((resolve) => {
      closeB = resolve;
    });
    const seenInA: Array<RequestScope | undefined> = [];
    const seenInB: Array<RequestScope | undefined> = [];
    const runA = inContext(async () => {
      openScope(a);
      await tick();
      seenInA.push(currentScope());
      await aClosed;
      seenInA.push(currentScope());
    });
    const runB = inContext(async () => {
      openScope(b);
      await tick();
      seenInB.push(currentScope());
      await aClosed;
      seenInB.push(currentScope()); // A closed, B still open: the storage stays on
      await bClosed;
      seenInB.push(currentScope());
    });
    await tick();
    await tick();
    closeScope(a);
    closeA();
    await tick();
    closeScope(b);
    closeB();
    await Promise.all([runA, runB]);
    assert.deepEqual(seenInA, [a, undefined]);
    assert.deepEqual(seenInB, [b, b, undefined]);

    const c = scope(3);
    const seenInC = await inContext(async () => {
      openScope(c);
      await tick();
      const open = currentScope();
      closeScope(c);
      closeScope(c); // twice: counted once
      return [open, currentScope()];
    });
    assert.deepEqual(seenInC, [c, undefined]);
  } finally {
    setScopesOnDemand(false);
  }
});

test('a request that is not recorded hides a scope still open in its context, and enters nothing otherwise', async () => {
  setScopesOnDemand(true);
  try {
    const open = scope(4);
    const seen = await inContext(async () => {
      openScope(open);
      await tick();
      const before = currentScope();
      hideOpenScope(); // a pipelined request on the same socket, not in the share
      const after = currentScope();
      closeScope(open);
      return [before, after];
    });
    assert.deepEqual(seen, [open, undefined]);
    assert.equal(open.closed, true);
    assert.equal(
      await inContext(async () => {
        hideOpenScope();
        return currentScope();
      }),
      undefined,
    );
  } finally {
    setScopesOnDemand(false);
  }
});

test("recording only inside recorded requests, the drivers' listeners listen only while one is open", async () => {
  const told: boolean[] = [];
  onQueriesWanted((wanted) => told.push(wanted));
  setScopedOnly(true);
  setQueriesWanted(true);
  setScopesOnDemand(true);
  try {
    assert.deepEqual(told, [false], 'no recorded request open: not listening');
    assert.equal(queriesWanted(), false);
    const a = scope(1);
    const b = scope(2);
    await inContext(async () => {
      openScope(a);
      assert.equal(queriesWanted(), true, 'inside a recorded request');
      await inContext(async () => {
        openScope(b);
      });
      closeScope(a);
    });
    assert.deepEqual(told, [false, true], 'listening from the first open to the last close');
    await inContext(async () => {
      hideOpenScope();
      assert.equal(queriesWanted(), false, 'a request outside the sample beside an open one');
    });
    closeScope(b);
    assert.deepEqual(told, [false, true, false]);
    assert.equal(queriesWanted(), false);
  } finally {
    setScopesOnDemand(false);
    setQueriesWanted(false);
    setScopedOnly(false);
  }
});

test("culprit watch: the companions idle between recorded requests, a counted request's scope does not", async () => {
  const companion = scopeCompanion(new AsyncLocalStorage<string>());
  setQueriesWanted(true);
  setCompanionsOnDemand(true);
  try {
    const counted: RequestScope = { ...scope(5), tally: { queries: 0, rows: 0, httpCalls: 0 } };
    const recorded = scope(6);
    let finishRecorded = (): void => {};
    const recordedDone = new Promise<void>((resolve) => {
      finishRecorded = resolve;
    });
    const inRecorded = inContext(async () => {
      openScope(recorded);
      companion.enterWith('pool call'); // a recorded query's issuer (pool-stack.ts)
      await tick();
      const during = [currentScope(), companion.getStore()];
      await recordedDone;
      return during;
    });
    const inCounted = inContext(async () => {
      enterScope(counted);
      await recordedDone;
      await tick();
      return currentScope();
    });
    await tick();
    await tick();
    closeScope(recorded);
    finishRecorded();
    assert.deepEqual(await inRecorded, [recorded, 'pool call']);
    assert.equal(await inCounted, counted, 'the counted request still reads its scope after the recorded one closed');
    // Node 20 propagates every enabled storage at each promise (hooks): the companion is disabled there;
    // Node 24's AsyncContextFrame costs nothing per storage, so it is left alone
    const hooked = '_propagate' in AsyncLocalStorage.prototype;
    assert.equal(
      await inContext(async () => companion.getStore()),
      undefined,
      'a later context carries no pool call either way',
    );
    if (hooked) assert.equal((companion as unknown as { enabled?: boolean }).enabled, false);
  } finally {
    setCompanionsOnDemand(false);
    setQueriesWanted(false);
  }
});
