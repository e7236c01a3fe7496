// The class behind an <instance_members_initializer> range, wherever this
// Node's V8 starts it: « marks Node 20's start (`class`), ‹ Node 22's (the
// body's `{`), › Node 24's (the first instance field). All three must agree.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindingBefore, classAt } from './class-at.js';

const cases: [string, string | null][] = [
  ["«class Tag ‹{ ›label = 'postcard'; }", 'Tag'],
  ['export «class Tag extends Base ‹{\n  ›id;\n}', 'Tag'],
  ['«class Static ‹{ static x = 1; ›y = 2; }', 'Static'],
  ['«class Both ‹{ ›a = 1; constructor() { this.b = 2; } }', 'Both'],
  ["«class M ‹{ get p() { return '}'; } static { init(); } ›#p = 1; }", 'M'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds a template literal
  ['«class C ‹{ static re = /[}{]/g; static t = `${"}"} }`; ›f = 1; }', 'C'],
  ['«class K ‹{ m() { return a / b / c; } ›f = 1 }', 'K'],
  ['«class D ‹{ /* } */ // }\n ›f = 1 }', 'D'],
  ['«class   Spaced   /* c */ ‹{\n  // comment\n  ›v = 1;\n}', 'Spaced'],
  ['«class X extends mixin(A, { deep: 1 }) ‹{ ›f = 1 }', 'X'],
  ['const Anonymous = «class ‹{ ›field = 1; };', null],
  ['class Outer { m() { return new («class Inner ‹{ ›q = 1; })(); } }', 'Inner'],
  ['class A { a = 1; }\n«class B ‹{ static z = class Z { r = 1; }; ›s = 2; }', 'B'],
  ['class Outer { m() { class Before { x = 1 } return 1; } }\n«class After ‹{ ›y = 2 }', 'After'],
];

test('classAt: the same class from the start V8 gives on Node 20, 22 and 24', () => {
  for (const [marked, name] of cases) {
    const source = marked.replace(/[«‹›]/g, '');
    const unmarked = (mark: string) => marked.replace(/[«‹›]/g, (m) => (m === mark ? m : '')).indexOf(mark);
    const start = unmarked('«');
    for (const mark of ['«', '‹', '›']) {
      assert.deepEqual(classAt(source, unmarked(mark)), { name, start }, `${marked} at ${mark}`);
    }
  }
});

test('classAt: no class around the offset, or a word that only contains "class"', () => {
  assert.equal(classAt('const x = 1;', 6), null);
  assert.equal(classAt('const className = 1; let y = 2;', 25), null);
  assert.equal(classAt('class A { a = 1; }\nlet y = 2;', 24), null, 'after the body closed');
  assert.equal(classAt('class A { m() { let y = 2; } }', 20), null, 'inside a method, not at the body level');
});

test('bindingBefore: a class expression takes the name it is assigned to', () => {
  const source = 'const Anonymous = class { field = 1; };';
  assert.equal(bindingBefore(source, source.indexOf('class')), 'Anonymous');
  assert.equal(bindingBefore('new (class { q = 1; })', 5), null);
});
