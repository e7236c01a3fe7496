import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { captureShortFirst, type FrameSource } from './frame-source.js';

type Hook = () => FrameSource;
/** A library the app calls, `depth` + 2 frames between its entry's caller and the hook (none of them the app's). */
const library = vm.runInThisContext(
  `(function libraryEntry(depth, hook) {
    function inner(k) { return k === 0 ? hook() : inner(k - 1); }
    return inner(depth);
  })`,
  { filename: '/deps/node_modules/some-client/index.js' },
) as (depth: number, hook: Hook) => FrameSource;

/** A hook of its own (depth hints are kept per hook), taking 10 frames first and 40 when they hold no app frame. */
function newHook(): Hook {
  const hook = (): FrameSource => captureShortFirst(hook, 10, 40);
  return hook;
}

/** The application's call into the library (this file is culprit's own to the probe: it sits under src/probe/). */
const appCall = vm.runInThisContext(
  `(function (library) {
    return function appCall(depth, hook) { return library(depth, hook); };
  })`,
  { filename: '/srv/app/routes.js' },
)(library) as (depth: number, hook: Hook) => FrameSource;

test('a hook whose application frame came within a few frames takes only those, then the rest when a caller is deeper', () => {
  const hook = newHook();
  const first = appCall(1, hook); // the app frame is the 4th: inner ×2, the entry, appCall
  assert.equal(first.appFrame()?.functionName, 'appCall');
  const again = appCall(1, hook);
  assert.equal(again.appFrame()?.functionName, 'appCall');
  assert.ok(again.frames().length <= 4, `${again.frames().length} frames: down to the app frame, no further`);
  // how many frames the test runner puts below differs between Node lines: the first took all it had up to 10
  assert.ok(
    first.frames().length > again.frames().length,
    `the first capture (${first.frames().length} frames) reads past the hint the second (${again.frames().length}) kept to`,
  );

  const deeper = appCall(6, hook); // a caller deeper than the hint: the app frame is still found
  assert.equal(deeper.appFrame()?.functionName, 'appCall');
  assert.equal(deeper.appFrame()?.url, first.appFrame()?.url);

  const deepest = appCall(20, hook); // past the short depth: the deep capture, as without a hint
  assert.equal(deepest.appFrame()?.functionName, 'appCall');
  assert.ok(deepest.frames().length > 20);
});

test('a stack with no application frame in reach does not shrink the next capture', () => {
  const hook = newHook();
  assert.equal(appCall(45, hook).appFrame(), undefined, 'beyond 40 frames: no app frame, as before');
  const near = appCall(0, hook);
  assert.equal(near.appFrame()?.functionName, 'appCall');
  assert.ok(near.frames().length >= 10, 'no hint was taken from the miss');
});
