import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestNames } from './closest.js';

test('closest names come first, containing the typed text counts as close', () => {
  assert.deepEqual(closestNames('Ephemron', ['Ephemeron', 'EphemeronList', 'User', 'Photo']), [
    'Ephemeron',
    'EphemeronList',
    'Photo',
    'User',
  ]);
  assert.deepEqual(closestNames('model.ts', ['src/models/model.ts', 'src/app.ts', 'src/mode.ts'], 2), [
    'src/models/model.ts',
    'src/mode.ts',
  ]);
});
