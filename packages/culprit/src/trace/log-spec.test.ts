import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCulpritError } from '../errors/culprit-error.js';
import { parseLogSpec, parseWhenSpec, splitExpressions } from './log-spec.js';

test('a class constructor logpoint with expressions', () => {
  assert.deepEqual(parseLogSpec('Ephemeron#constructor args[0], this.constructor.name'), {
    kind: 'log',
    text: 'Ephemeron#constructor args[0], this.constructor.name',
    target: { kind: 'member', className: 'Ephemeron', member: 'constructor' },
    expressions: ['args[0]', 'this.constructor.name'],
  });
});

test('a FILE:LINE logpoint; no expressions means count only', () => {
  assert.deepEqual(parseLogSpec('src/api/viewsets.ts:42').target, {
    kind: 'line',
    file: 'src/api/viewsets.ts',
    line: 42,
  });
  assert.deepEqual(parseLogSpec('src/api/viewsets.ts:42').expressions, []);
  assert.deepEqual(parseLogSpec('C:\\app\\x.ts:7 a').target, { kind: 'line', file: 'C:\\app\\x.ts', line: 7 });
});

test('expressions split on top-level commas only', () => {
  assert.deepEqual(splitExpressions("f(a, b), [1, 2], 'x, y', `a,b`, {a: 1, b: 2}"), [
    'f(a, b)',
    '[1, 2]',
    "'x, y'",
    '`a,b`',
    '{a: 1, b: 2}',
  ]);
});

test('a --when spec keeps the whole condition', () => {
  const spec = parseWhenSpec('Ephemeron#constructor args[0] === 20000 && this !== undefined');
  assert.equal(spec.condition, 'args[0] === 20000 && this !== undefined');
  assert.deepEqual(parseWhenSpec('src/a.ts:3 row.id > 5').target, { kind: 'line', file: 'src/a.ts', line: 3 });
});

function rejects(parse: () => unknown, pattern: RegExp): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(isCulpritError(error));
    assert.equal(error.code, 'CULPRIT_E_BAD_LOG_SPEC');
    assert.match(error.message, pattern);
    return true;
  });
}

test('bad specs are coded usage errors that say what is expected', () => {
  rejects(() => parseLogSpec('   '), /the spec is empty; expected 'FILE:LINE/);
  rejects(() => parseLogSpec('src/app.ts x'), /'src\/app.ts' is not a target/);
  rejects(() => parseLogSpec('src/app.ts: x'), /the line number is missing/);
  rejects(() => parseLogSpec('src/app.ts:0 x'), /is not a target/);
  rejects(() => parseLogSpec('9Card#constructor'), /is not a target/);
  rejects(() => parseWhenSpec('Card#constructor'), /a condition is missing .*Card#constructor args\[0\] === 20000/);
  rejects(() => parseLogSpec('Card#constructor args[0], ) ('), /'\) \(' is not a JavaScript expression/);
  rejects(() => parseWhenSpec('Card#constructor args[0] ==='), /is not a JavaScript expression/);
});

test('an expression that would run outside its wrapper is refused, not silently never run', () => {
  rejects(
    () => parseLogSpec('src/app.ts:3 1); process.exit(); (2'),
    /is not one expression: it closes a bracket it did not open/,
  );
  rejects(() => parseWhenSpec('Card#constructor x) || (globalThis.hacked = true'), /is not one expression/);
  rejects(() => parseLogSpec('src/app.ts:3 a]; [b'), /is not a JavaScript expression|is not one expression/);
  // what stays inside is fine: brackets in strings and templates, a trailing comment
  const template = '`$' + '{a})`'; // a template literal with a ')' in its text
  assert.deepEqual(parseLogSpec(`src/app.ts:3 ')(', ${template}, b // why`).expressions, [
    "')('",
    template,
    'b // why',
  ]);
  assert.equal(parseWhenSpec('src/app.ts:3 /\\)/.test(s)').condition, '/\\)/.test(s)');
});
