import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUNDLED_MODULE, hookedKeyPattern, keyPath, rewriteEsbuildBundle } from './esbuild-bundle.js';

// esbuild 0.28's helper and two wrapped modules, as a CommonJS bundle holds them
const bundle = [
  '"use strict";',
  'var __getOwnPropNames = Object.getOwnPropertyNames;',
  'var __commonJS = (cb, mod) => function __require() {',
  '  try {',
  '    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;',
  '  } catch (e) {',
  '    throw mod = 0, e;',
  '  }',
  '};',
  '// ../node_modules/pg/lib/client.js',
  'var require_client = __commonJS({',
  '  "../node_modules/pg/lib/client.js"(exports2, module2) {',
  '    module2.exports = { loads: ++globalThis.loads, peer: require_other() };',
  '  }',
  '});',
  'var require_other = __commonJS({',
  '  "src/other.js"(exports2) {',
  '    exports2.ok = true;',
  '  }',
  '});',
  'module.exports = [require_client(), require_client()];',
].join('\n');

const hookedKey = hookedKeyPattern(['pg', 'mysql2']);

test('the helper hands each module to the probe once, after its body ran; no line moves', () => {
  const rewritten = rewriteEsbuildBundle(bundle, '/app/dist/server.js', hookedKey);
  assert.ok(rewritten);
  assert.equal(rewritten.split('\n').length, bundle.split('\n').length);
  const seen: Array<[string, unknown, string]> = [];
  const holder = globalThis as Record<symbol, unknown> & { loads?: number };
  holder.loads = 0;
  holder[Symbol.for(BUNDLED_MODULE)] = (key: string, loaded: { exports: unknown }, file: string) => {
    seen.push([key, loaded.exports, file]);
    if (key.endsWith('client.js')) loaded.exports = { patched: loaded.exports };
  };
  try {
    const bundleModule = { exports: undefined as unknown };
    new Function('module', rewritten)(bundleModule);
    const expected = { patched: { loads: 1, peer: { ok: true } } };
    assert.deepEqual(bundleModule.exports, [expected, expected], 'the replaced exports, the body run once');
    assert.deepEqual(
      seen.map(([key, , file]) => [key, file]),
      [
        ['src/other.js', '/app/dist/server.js'],
        ['../node_modules/pg/lib/client.js', '/app/dist/server.js'],
      ],
    );
  } finally {
    delete holder[Symbol.for(BUNDLED_MODULE)];
    delete holder.loads;
  }
});

test('a bundle without a hooked package, or without the helper, is left as it is', () => {
  assert.equal(rewriteEsbuildBundle(bundle.replaceAll('/pg/', '/lodash/'), '/a.js', hookedKey), undefined);
  assert.equal(rewriteEsbuildBundle('var __commonJSMin = (cb, mod) => () => 0;', '/a.js', hookedKey), undefined);
  assert.equal(hookedKey.test('"node_modules/pg-cursor/index.js"('), false);
  assert.equal(hookedKey.test('"node_modules/.pnpm/mysql2@3.24.6/node_modules/mysql2/index.js"('), true);
});

test('keys resolve from a base folder', () => {
  assert.equal(keyPath('../../node_modules/pg/lib/client.js', '/app/web/dist'), '/app/node_modules/pg/lib/client.js');
  assert.equal(keyPath('node_modules/pg/lib/client.js', '/app'), '/app/node_modules/pg/lib/client.js');
});
