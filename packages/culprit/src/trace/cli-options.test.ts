// trace's and diagnose's targets: module mode's request line as profile's.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isCulpritError } from '../errors/culprit-error.js';
import { parseTraceArgs } from './cli-options.js';

const dir = mkdtempSync(join(tmpdir(), 'culprit-trace-args-'));
writeFileSync(join(dir, 'app.mjs'), 'export default () => {};\n');

test('module mode takes PATH alone (GET unless -X or -d says otherwise) or METHOD PATH', () => {
  assert.deepEqual(parseTraceArgs(['--app', 'app.mjs', '/items?page=2'], dir).request, {
    method: 'GET',
    path: '/items?page=2',
  });
  assert.equal(
    parseTraceArgs(['--app', 'app.mjs', '-X', 'patch', '/items/1'], dir, 'diagnose').request.method,
    'PATCH',
  );
  assert.equal(parseTraceArgs(['--app', 'app.mjs', 'POST', '/items'], dir).request.method, 'POST');
  assert.throws(
    () => parseTraceArgs(['--app', 'app.mjs', 'items'], dir, 'diagnose'),
    (error: unknown) =>
      isCulpritError(error) &&
      error.exitCode === 2 &&
      error.message.includes('culprit diagnose --app MODULE [METHOD] PATH'),
  );
});
