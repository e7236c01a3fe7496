import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertInlineable, jsonForScript } from './embed.js';

test('embedded JSON cannot close its script element and parses back to the same value', () => {
  const value = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'line\u2028sep\u2029', d: 'a & b > c' };
  const text = jsonForScript(value);
  assert.ok(!/[<>\u2028\u2029]/.test(text), text);
  assert.ok(!text.toLowerCase().includes('</script'));
  assert.deepEqual(JSON.parse(text), value);
});

test('a bundle that would end its element early is refused', () => {
  assert.throws(() => assertInlineable('var s = "</script>"', 'script'));
  assert.throws(() => assertInlineable('a{} </STYLE>', 'style'));
  assert.equal(assertInlineable('var s = 1 < 2', 'script'), 'var s = 1 < 2');
});
