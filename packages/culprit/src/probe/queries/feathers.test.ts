import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RequestScope, runInScope, setQueriesWanted } from '../request-context.js';
import { lendFromServiceMethods } from './feathers.js';
import { type Issued, issuedAt } from './pool-stack.js';

const MANAGER = Symbol('hook manager');
const scope = (requestId: number): RequestScope => ({ requestId, queries: [], closed: false });

/** Stands for the driver hook: what a statement issued now would carry. */
function driverQuery(): Issued {
  return issuedAt(driverQuery);
}

/**
 * A service method as a hook layer wraps it: the adapter's work runs from promise callbacks and a later
 * turn, where the stack holds none of the caller's frames, and the wrapper carries what transports read.
 */
type HookedMethod = ((id: number) => Promise<Issued>) & {
  createContext: () => object;
  original: unknown;
  [MANAGER]: { middleware: unknown[] };
};

function hookedMethod(): HookedMethod {
  const method = (id: number) =>
    Promise.resolve(id).then(() => new Promise<Issued>((resolve) => setImmediate(() => resolve(driverQuery()))));
  return Object.assign(method, { createContext: () => ({}), original: method, [MANAGER]: { middleware: [] } });
}

test("a service method called from app code lends the caller's line to the statement its hooks issue later", async () => {
  setQueriesWanted(true);
  try {
    const service = { get: hookedMethod(), find: hookedMethod(), helper: () => 1 };
    const { createContext, original } = service.get;
    const manager = service.get[MANAGER];
    lendFromServiceMethods(service, { methods: ['find', 'get'] });

    // a resolver that returns the service call unawaited, as a per-item virtual field does
    const userOfMessage = (id: number) => service.get(id);
    const issued = await runInScope(scope(1), () => userOfMessage(7));
    assert.equal(issued.scope?.requestId, 1, "the caller's request");
    assert.equal(
      issued.frames.appFrame()?.functionName,
      'userOfMessage',
      'the statement names the function that called the service',
    );

    assert.equal(service.get.createContext, createContext, 'transports still find the context factory');
    assert.equal(service.get.original, original);
    assert.equal(service.get[MANAGER], manager, "the hooks registered later still reach the method's manager");
    assert.equal(service.helper(), 1, 'a method without hooks is left alone');
  } finally {
    setQueriesWanted(false);
  }
});

test('without the lending, the same statement names only the later turn that ran it', async () => {
  setQueriesWanted(true);
  try {
    const service = { get: hookedMethod() };
    const userOfMessage = (id: number) => service.get(id);
    const issued = await runInScope(scope(2), () => userOfMessage(7));
    assert.notEqual(issued.frames.appFrame()?.functionName, 'userOfMessage');
  } finally {
    setQueriesWanted(false);
  }
});
