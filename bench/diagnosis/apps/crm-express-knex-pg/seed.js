'use strict';

const knexFactory = require('knex');
const { connection, DATABASE } = require('./src/db');

const USERS = 40;
const COMPANIES = 3000;
const CONTACTS = 30000;

async function main() {
  const admin = knexFactory({ client: 'pg', connection: connection('test') });
  const { rows } = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [DATABASE]);
  if (rows.length === 0) await admin.raw(`CREATE DATABASE "${DATABASE}"`);
  await admin.destroy();

  const db = knexFactory({ client: 'pg', connection: connection() });
  try {
    if (await db.schema.hasTable('contacts')) {
      const [{ count }] = await db('contacts').count({ count: '*' });
      if (Number(count) === CONTACTS) {
        console.log('seed: already present');
        return;
      }
    }
    await db.transaction(async (trx) => {
      await trx.raw('DROP TABLE IF EXISTS contacts, companies, users CASCADE');
      await trx.schema.createTable('users', (t) => {
        t.increments('id');
        t.string('email', 160).notNullable().unique();
        t.string('full_name', 120).notNullable();
        t.string('role', 20).notNullable();
        t.integer('team_id').notNullable();
        t.boolean('active').notNullable().defaultTo(true);
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(trx.fn.now());
      });
      await trx.schema.createTable('companies', (t) => {
        t.increments('id');
        t.string('name', 160).notNullable();
        t.string('domain', 160);
        t.string('industry', 60);
      });
      await trx.schema.createTable('contacts', (t) => {
        t.increments('id');
        t.string('first_name', 80).notNullable();
        t.string('last_name', 80).notNullable();
        t.string('email', 160).notNullable();
        t.string('phone', 40);
        t.string('job_title', 120);
        t.integer('company_id').references('companies.id');
        t.integer('owner_id').notNullable().references('users.id');
        t.string('lifecycle_stage', 20).notNullable();
        t.timestamp('last_contacted_at', { useTz: true });
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('updated_at', { useTz: true }).notNullable();
        t.index(['updated_at', 'id']);
        t.index(['owner_id', 'updated_at']);
        t.index(['lifecycle_stage', 'updated_at']);
        t.index(['last_name']);
      });
      await trx.raw(
        `INSERT INTO users (email, full_name, role, team_id)
         SELECT 'rep' || g || '@acme-crm.test', 'Sales Rep ' || g,
                (ARRAY['admin', 'manager', 'rep', 'rep', 'viewer'])[1 + g % 5], 1 + g % 4
         FROM generate_series(1, ?) g`,
        [USERS]
      );
      await trx.raw(
        `INSERT INTO companies (name, domain, industry)
         SELECT 'Company ' || g, 'company' || g || '.example', (ARRAY['saas', 'retail', 'logistics', 'health', 'finance'])[1 + g % 5]
         FROM generate_series(1, ?) g`,
        [COMPANIES]
      );
      await trx.raw(
        `INSERT INTO contacts (first_name, last_name, email, phone, job_title, company_id, owner_id,
                               lifecycle_stage, last_contacted_at, created_at, updated_at)
         SELECT (ARRAY['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Femi', 'Greta', 'Hiro'])[1 + g % 8],
                (ARRAY['Silva', 'Novak', 'Okafor', 'Larsen', 'Moreau', 'Rossi', 'Tanaka', 'Weber'])[1 + (g / 8) % 8] || g,
                'contact' || g || '@mail.example',
                '+1-555-' || lpad((g % 10000)::text, 4, '0'),
                (ARRAY['CTO', 'Head of Ops', 'Buyer', 'Engineer', 'Founder'])[1 + g % 5],
                1 + (g * 7) % ?,
                1 + (g * 13) % ?,
                (ARRAY['lead', 'qualified', 'opportunity', 'customer', 'churned'])[1 + g % 5],
                now() - ((g % 400) || ' days')::interval,
                now() - ((g % 900) || ' days')::interval,
                now() - (g || ' minutes')::interval
         FROM generate_series(1, ?) g`,
        [COMPANIES, USERS, CONTACTS]
      );
    });
    await db.raw('ANALYZE');
    console.log(`seed: ${USERS} users, ${COMPANIES} companies, ${CONTACTS} contacts`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
