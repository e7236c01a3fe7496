import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eagerRelationLine } from './eager-relations.js';

const entity = [
  "import { Column, Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';",
  "import { Invoice } from './invoice';",
  '',
  "@Entity('customers')",
  'export class Customer {',
  '  @PrimaryGeneratedColumn()',
  '  id: number;',
  '',
  '  @ManyToOne(() => Region, { eager: true })',
  '  region: Region;',
  '',
  '  @OneToMany(() => Invoice, (invoice) => invoice.customer, {',
  '    eager: true,',
  '    cascade: true,',
  '  })',
  '  invoices: Invoice[];',
  '',
  '  @OneToMany(() => Note, (note) => note.customer)',
  '  notes: Note[];',
  '}',
];

test('an eager collection relation is found by the joined table its class maps to, or by the ORM alias of its property', () => {
  assert.equal(eagerRelationLine(entity, 4, ['regions', 'invoices']), 12);
  assert.equal(eagerRelationLine(entity, 4, ['Customer__invoices']), 12);
});

test('a relation that is not eager, not a collection, or not joined is not the line', () => {
  // notes are joined only when a call asks; the region is one row per customer (no fan-out)
  assert.equal(eagerRelationLine(entity, 4, ['notes']), undefined);
  assert.equal(eagerRelationLine(entity, 4, ['regions']), undefined);
  assert.equal(eagerRelationLine(entity, 4, ['payments']), undefined);
});

test('the next class of the file is another entity', () => {
  const two = [...entity.slice(0, 11), '}', '', "@Entity('orders')", 'export class Order {', ...entity.slice(11)];
  assert.equal(eagerRelationLine(two, 4, ['invoices']), undefined);
});
