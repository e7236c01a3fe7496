import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entityColumnLine, propertyIndexLine } from './entity-column.js';

const LOAN = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'loans' })
export class Loan {
  @PrimaryGeneratedColumn()
  id: number;

  @ManyToOne(() => Member)
  member: Member;

  @Column({ length: 13 })
  isbn: string;

  @Column({ name: 'borrowed_at', type: 'datetime' })
  borrowedAt: Date;
}

@Entity()
export class Member {
  @Column()
  email: string;
}`.split('\n');

test("a column's property in a decorated entity: the line of its first decorator", () => {
  assert.equal(entityColumnLine(LOAN, 3, 'isbn'), 11);
  // a snake_case column named in its decorator, or mapped by convention to a camelCase property
  assert.equal(entityColumnLine(LOAN, 3, 'borrowed_at'), 14);
});

test("no such column in the class, another entity's column, or no decorated class: undefined", () => {
  assert.equal(entityColumnLine(LOAN, 3, 'email'), undefined);
  assert.equal(entityColumnLine(LOAN, 3, 'title'), undefined);
  assert.equal(entityColumnLine(LOAN, 4, 'isbn'), undefined);
  assert.equal(entityColumnLine(['CREATE TABLE loans (isbn text);'], 1, 'isbn'), undefined);
});

test("beside a property's own @Index(), an index led by another column goes on that column's property", () => {
  // a shipments entity that indexes its carrier on the property; the new index is led by tracking_code
  const shipment = [
    "import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';", // 1
    '',
    "@Entity('shipments')",
    'export class Shipment {',
    '  @PrimaryGeneratedColumn()',
    '  id: number;',
    '',
    '  @Index()', // 8
    "  @Column({ name: 'carrier_id', type: 'int' })",
    '  carrierId: number;',
    '',
    "  @Column({ name: 'tracking_code' })", // 12
    '  trackingCode: string;',
    '}',
  ];
  assert.equal(propertyIndexLine(shipment, 8, 'tracking_code'), 12);
  // a class-level index lists its columns: the new one goes beside it, not on a property
  const classLevel = [...shipment];
  classLevel[7] = "  @Index(['carrierId', 'trackingCode'])";
  assert.equal(propertyIndexLine(classLevel, 8, 'tracking_code'), undefined);
});
