import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isOwnFile } from './own-code.js';

const root = fileURLToPath(new URL('..', import.meta.url));

test("culprit's own files are recognized wherever the package sits, by path or file URL", () => {
  assert.equal(isOwnFile(`${root}dist/probe/index.js`), true);
  assert.equal(isOwnFile(`file://${root}dist/probe/queries/pg.js`), true);
  assert.equal(isOwnFile(`${root}src/probe/request-context.ts`), true);
});

test("its dependencies, its tests' fixture apps and the user's files are not culprit's", () => {
  assert.equal(isOwnFile(`${root}node_modules/pg/lib/client.js`), false);
  assert.equal(isOwnFile(`${root}src/profile/test-support/app.ts`), false);
  assert.equal(isOwnFile(`file://${root}src/probe/constructions.test.ts`), false);
  assert.equal(isOwnFile('/home/user/shop/src/server.ts'), false);
});
