import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestRecord } from '../capture/types.js';
import { diagnoseCommandFor, shellQuote } from './diagnose-command.js';

const r = (method: string, url: string) => ({ method, url }) as RequestRecord;

test('the diagnose command pastes into a shell: quoted, module relative, secrets out of the command', () => {
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  const command = diagnoseCommandFor(
    { mode: 'command', command: ['node', 'server.js', '--token', 'abc'], cwd: '/p', readyTimeoutMs: 1 },
    { keepParams: false, cwd: '/p' },
  );
  assert.equal(command(r('GET', '/a?b=?')), "culprit diagnose '/a?b=?' -- node server.js --token '?'");
  assert.match(command(r('POST', '/a')), /^culprit diagnose -X POST \/a -- /);
  const module = diagnoseCommandFor(
    { mode: 'module', modulePath: '/p/src/app.ts', cwd: '/p', readyTimeoutMs: 1 },
    { keepParams: false, cwd: '/p' },
  );
  assert.equal(module(r('GET', '/x')), 'culprit diagnose --app src/app.ts GET /x');
});
