import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceLocation } from '../../capture/types.js';
import { appFramesOf, isAppFrame, resumedAppFrame } from './app-frames.js';

const queue: SourceLocation = { file: 'node:internal/process/task_queues', line: 95, column: 5 };
const orm: SourceLocation = { file: '/app/node_modules/orm/loader.js', line: 75, column: 1, package: 'orm' };
// a loop body in a service compiled by tsc for ES2015, mapped back to its TypeScript line
const loopBody: SourceLocation = { file: '/app/src/feed.service.ts', line: 40, column: 9 };

test('a compiled file’s inlined async helper resuming the generator is not the app’s code', () => {
  const tsc: SourceLocation = { file: '/app/dist/feed.service.js', line: 4, column: 58, functionName: 'fulfilled' };
  assert.equal(isAppFrame(tsc), false);
  assert.equal(isAppFrame({ ...tsc, functionName: 'step' }), false);
  assert.equal(isAppFrame({ file: '/app/lib/feed.js', line: 3, column: 1, functionName: 'asyncGeneratorStep' }), false);
  // the function an await resumed is the loop's, below the helper that resumed it
  assert.deepEqual(resumedAppFrame([orm, loopBody, tsc, queue]), loopBody);
});

test('an app function of the same name in a source file, or a helper-named function in TypeScript, stays the app’s', () => {
  assert.equal(isAppFrame({ file: '/app/src/wizard.ts', line: 12, column: 3, functionName: 'step' }), true);
  assert.equal(isAppFrame({ file: '/app/dist/feed.service.js', line: 30, column: 3, functionName: 'findFeed' }), true);
});

// A method compiled by tsc to ES2015 runs its body in a generator through `__awaiter`, which starts it from an
// anonymous Promise executor at the top of the compiled file (or, through the source map, the .ts file's first
// statement). Neither that executor nor `__awaiter` is the app's line; the generator's body and the method are.
test('the anonymous executor that __awaiter runs, and __awaiter itself, are left out of a stack’s app frames', () => {
  const at = (file: string, line: number, functionName?: string): SourceLocation =>
    functionName === undefined ? { file, line, column: 1 } : { file, line, column: 1, functionName };
  const body = at('/srv/src/models/Store.ts', 15);
  const method = at('/srv/src/models/Store.ts', 14, 'byName');
  const compiled = [body, at('/srv/dist/models/Store.js', 8), at('/srv/dist/models/Store.js', 4, '__awaiter'), method];
  assert.deepEqual(appFramesOf(compiled), [body, method]);
  const mapped = [body, at('/srv/src/models/Store.ts', 3), at('/srv/src/models/Store.ts', 3, '__awaiter'), method];
  assert.deepEqual(appFramesOf(mapped), [body, method]);
  // an anonymous callback called by an app function keeps its place
  const callback = [at('/srv/src/list.ts', 9), at('/srv/src/list.ts', 7, 'list')];
  assert.deepEqual(appFramesOf(callback), callback);
});
