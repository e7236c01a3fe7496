import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLauncher } from './launchers.js';

test('npm, npx, yarn, pnpm, corepack, the tsx CLI and nodemon are launchers', () => {
  for (const script of [
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npx-cli.js',
    '/home/me/.nvm/versions/node/v20.19.0/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/lib/node_modules/yarn/bin/yarn.js',
    '/usr/lib/node_modules/corepack/dist/pnpm.js',
    '/srv/app/node_modules/pnpm/bin/pnpm.cjs',
    '/srv/app/node_modules/tsx/dist/cli.mjs',
    'C:\\app\\node_modules\\tsx\\dist\\cli.mjs',
    '/srv/app/node_modules/nodemon/bin/nodemon.js',
  ]) {
    assert.equal(isLauncher(script), true, script);
  }
});

test('the app, ts-node and scripts named like a launcher elsewhere are not', () => {
  for (const script of [
    undefined,
    '/srv/app/dist/server.js',
    '/srv/app/src/cli.mjs',
    '/srv/app/node_modules/ts-node/dist/bin.js',
    '/srv/app/node_modules/next/dist/bin/next',
    '/srv/app/tools/npm-cli.js',
    '/srv/app/node_modules/tsx/dist/loader.mjs',
  ]) {
    assert.equal(isLauncher(script), false, String(script));
  }
});
