import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';

const here = path.dirname(fileURLToPath(import.meta.url));
const filename = process.env.ORG_DB ?? path.join(here, '..', 'data', 'org.sqlite');
fs.mkdirSync(path.dirname(filename), { recursive: true });

export const knex = knexFactory({
  client: 'better-sqlite3',
  connection: { filename },
  useNullAsDefault: true,
});

export async function migrate() {
  if (!(await knex.schema.hasTable('departments'))) {
    await knex.schema.createTable('departments', (t) => {
      t.increments('id');
      t.string('name').notNullable();
      t.string('cost_center').notNullable();
    });
  }
  if (!(await knex.schema.hasTable('employees'))) {
    await knex.schema.createTable('employees', (t) => {
      t.increments('id');
      t.string('full_name').notNullable();
      t.string('title').notNullable();
      t.string('email').notNullable().unique();
      t.integer('department_id').references('departments.id');
      t.integer('manager_id').references('employees.id').nullable().index();
      t.date('hired_on').notNullable();
    });
  }
}
