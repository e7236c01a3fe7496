import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderRemote } from './render.js';

test('primitives, null and functions render as short text', () => {
  assert.equal(renderRemote({ type: 'string', value: 'card 30' }), '"card 30"');
  assert.equal(renderRemote({ type: 'number', value: 30 }), '30');
  assert.equal(renderRemote({ type: 'number', unserializableValue: 'NaN' }), 'NaN');
  assert.equal(renderRemote({ type: 'object', subtype: 'null', value: null }), 'null');
  assert.equal(renderRemote(undefined), 'undefined');
  assert.equal(
    renderRemote({ type: 'function', className: 'Function', description: 'class Card extends Model {\n}' }),
    '[Function class Card extends Model {]',
  );
});

test('objects and arrays show V8 preview properties', () => {
  const row = {
    type: 'object',
    description: 'Object',
    preview: {
      properties: [
        { name: 'id', type: 'number', value: '30' },
        { name: 'title', type: 'string', value: 'card 30' },
      ],
    },
  };
  assert.equal(renderRemote(row), '{id: 30, title: "card 30"}');
  const list = {
    type: 'object',
    subtype: 'array',
    description: 'Array(40)',
    preview: { overflow: true, properties: [{ name: '0', type: 'object', value: 'Ephemeron' }] },
  };
  assert.equal(renderRemote(list), 'Array(40) [Ephemeron, …]');
  assert.equal(renderRemote({ type: 'object', description: 'x'.repeat(300) }).length, 120);
});
