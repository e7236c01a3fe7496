import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameSource } from '../frame-source.js';
import { FrameList } from '../frame-source.js';
import { type RequestScope, runInScope, setQueriesWanted } from '../request-context.js';
import type { AnyMethod } from './patch.js';
import {
  carryPoolStack,
  type Issued,
  issuedAt,
  issuedHere,
  issuerPending,
  keepQueuedContext,
  runsAsCallerCallback,
  withEntryIssuer,
  withPoolStack,
} from './pool-stack.js';

const appLine = { url: '/app/src/items.js', line: 11, column: 4 };
const poolFrames: FrameSource = new FrameList([appLine]);
const own: FrameSource = new FrameList([{ url: '/app/node_modules/driver/index.js', line: 1, column: 0 }]);

const scope = (requestId: number): RequestScope => ({ requestId, queries: [], closed: false });

test('a pool that runs the query before its method returns hands the call to the driver hook, consumed once', () => {
  const seen: Issued[] = [];
  runInScope(scope(1), () =>
    withPoolStack(poolFrames, () => {
      seen.push(issuedHere(own));
      seen.push(issuedHere(own)); // a second query of the same call: its own frames only
    }),
  );
  assert.equal(seen[0]?.frames.appFrame(), appLine, "the first query names the pool caller's line");
  assert.equal(seen[0]?.scope?.requestId, 1);
  assert.equal(seen[1]?.frames, own, 'the call is consumed by the first query');
  assert.equal(issuerPending(), false, 'nothing is left handed over after the pool call returns');
});

test("a pool that runs the query later, from its connection getter's callback, hands over the caller's call and request", async () => {
  setQueriesWanted(true);
  try {
    // a pool whose free connection comes on a later turn (mysql2's nextTick, a release of another query)
    const getConnection = keepQueuedContext(function getConnection(this: unknown, callback: unknown) {
      setImmediate(() => (callback as () => void)());
    } as AnyMethod);
    const query = carryPoolStack('test pool', function query(this: unknown) {
      return new Promise<Issued>((resolve) => getConnection.call(this, () => resolve(issuedHere(own))));
    } as AnyMethod);
    const issued = await runInScope(scope(2), () => query.call(undefined) as Promise<Issued>);
    const other = await runInScope(scope(3), async () => {
      // a query issued on that later turn outside the getter's callback borrows nothing
      await new Promise((resolve) => setImmediate(resolve));
      return issuedHere(own);
    });
    assert.equal(issued.scope?.requestId, 2, "the caller's request");
    assert.notEqual(issued.frames, own, 'the pool call joins its frames to the hook');
    assert.match(issued.frames.appFrame()?.url ?? '', /pool-stack\.test\.[jt]s$/, "the caller's line names this file");
    assert.equal(other.frames, own);
    assert.equal(other.scope?.requestId, 3);
  } finally {
    setQueriesWanted(false);
  }
});

test("below an ORM's entry that names the app's line, the driver hook takes no frames of its own", () => {
  const orm: FrameSource = new FrameList([{ url: '/app/node_modules/orm/entity-manager.js', line: 3, column: 0 }]);
  const issued = runInScope(scope(4), () =>
    withEntryIssuer({ frames: poolFrames, scope: scope(4) }, function driverCall() {
      return issuedAt(driverCall);
    }),
  );
  assert.equal(issued.frames, poolFrames, "the entry's frames as they are: no capture joined to them");
  assert.equal(issued.frames.appFrame(), appLine);
  // an entry called by the ORM itself (no application frame): the hook's own frames may hold the app's line
  const unnamed = withEntryIssuer({ frames: orm, scope: undefined }, function driverCall() {
    return issuedAt(driverCall);
  });
  assert.notEqual(unnamed.frames, orm, "the hook's own frames come first");
  assert.match(unnamed.frames.appFrame()?.url ?? '', /pool-stack\.test\.[jt]s$/);
});

test("in app code an entry calls back (a transaction's callback), the driver hook's own frames name the callback", async () => {
  let issued: Issued | undefined;
  const transaction = (callback: AnyMethod) =>
    withEntryIssuer({ frames: poolFrames, scope: undefined }, async () => {
      await Promise.resolve(); // the ORM's own awaits before it calls back
      return callback.call(undefined);
    });
  function driverQuery(): void {
    issued = issuedAt(driverQuery);
  }
  await transaction(
    runsAsCallerCallback(function inTransaction() {
      driverQuery(); // the app calling the driver itself
    }),
  );
  assert.equal(issued?.frames.appFrame()?.functionName, 'inTransaction', "the callback's line, not the entry's");
  assert.equal(issued?.frames.frames().at(-1), appLine, "the entry's frames still follow the hook's own");
});
