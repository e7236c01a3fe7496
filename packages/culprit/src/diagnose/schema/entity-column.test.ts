import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entityColumnLine } from './entity-column.js';

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
