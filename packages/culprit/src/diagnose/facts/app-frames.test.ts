import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceLocation } from '../../capture/types.js';
import { isAppFrame, resumedAppFrame } from './app-frames.js';

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
