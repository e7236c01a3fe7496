import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorCatalog } from './catalog.js';
import { CulpritError } from './culprit-error.js';

test('every error code follows the CULPRIT_E_ naming', () => {
  for (const code of Object.keys(errorCatalog)) assert.match(code, /^CULPRIT_E_[A-Z_]+$/);
});

test('usage errors exit 2 and run failures exit 1', () => {
  assert.equal(new CulpritError('CULPRIT_E_UNKNOWN_FLAG', 'x').exitCode, 2);
  assert.equal(new CulpritError('CULPRIT_E_RUN_FAILED', 'x').exitCode, 1);
});
