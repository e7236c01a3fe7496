import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activate, flush, needsStart } from './activation.js';
import type { Registration } from './start.js';

// `--require culprit/register` and an `import 'culprit/register'` are two module graphs with a copy of
// activation.ts each; the registration lives on a global, so the second entry reaches the first's
test('one registration per process, whichever entry comes first', async () => {
  assert.equal(needsStart(), true);
  const flushed: string[] = [];
  const starting = (name: string) => ({
    startRegistration(): Registration {
      return {
        flush: async () => {
          flushed.push(name);
        },
        counts: () => Promise.reject(new Error('not in this test')),
      };
    },
  });
  activate(starting('first'));
  assert.equal(needsStart(), false, 'the other entry loads no start.js');
  activate(starting('second'));
  await flush();
  assert.deepEqual(flushed, ['first']);
});
