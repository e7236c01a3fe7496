import { createKnex, databaseName } from './src/db/knex.js';

const PAGE_COUNT = 20000;
const USER_COUNT = 300;
const TAGS = [
  'onboarding', 'runbook', 'architecture', 'postmortem', 'howto', 'policy', 'api', 'billing', 'infra',
  'frontend', 'backend', 'security', 'data', 'release', 'faq', 'glossary', 'hiring', 'support',
];

async function ensureDatabase() {
  const admin = createKnex('test');
  try {
    const { rowCount } = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [databaseName]);
    if (rowCount === 0) await admin.raw(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.destroy();
  }
}

async function createSchema(knex) {
  if (!(await knex.schema.hasTable('users'))) {
    await knex.schema.createTable('users', (t) => {
      t.increments('id');
      t.string('username', 60).notNullable().unique();
      t.string('display_name', 120).notNullable();
    });
  }
  if (!(await knex.schema.hasTable('pages'))) {
    await knex.schema.createTable('pages', (t) => {
      t.increments('id');
      t.string('slug', 160).notNullable().unique();
      t.string('title', 200).notNullable();
      t.text('summary').notNullable();
      t.text('body').notNullable();
      t.integer('author_id').notNullable().references('users.id');
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.index(['author_id'], 'pages_author_id_idx');
    });
    await knex.raw('CREATE INDEX pages_updated_at_idx ON pages (updated_at DESC, id DESC)');
  }
  if (!(await knex.schema.hasTable('tags'))) {
    await knex.schema.createTable('tags', (t) => {
      t.increments('id');
      t.string('name', 60).notNullable().unique();
    });
  }
  if (!(await knex.schema.hasTable('page_tags'))) {
    await knex.schema.createTable('page_tags', (t) => {
      t.integer('page_id').notNullable().references('pages.id').onDelete('CASCADE');
      t.integer('tag_id').notNullable().references('tags.id');
      t.primary(['page_id', 'tag_id']);
      t.index(['tag_id'], 'page_tags_tag_id_idx');
    });
  }
}

async function main() {
  await ensureDatabase();
  const knex = createKnex();
  try {
    await createSchema(knex);
    const [{ count }] = await knex('pages').count({ count: '*' });
    if (Number(count) >= PAGE_COUNT) {
      console.log(`wiki already seeded (${count} pages)`);
      return;
    }
    await knex.transaction(async (trx) => {
      await trx.raw('TRUNCATE page_tags, pages, tags, users RESTART IDENTITY CASCADE');
      await trx.raw(
        `INSERT INTO users (username, display_name)
         SELECT 'editor' || g, (ARRAY['Ada','Grace','Linus','Margaret','Ken','Barbara'])[1 + g % 6] || ' ' ||
                (ARRAY['Lovelace','Hopper','Torvalds','Hamilton','Thompson','Liskov'])[1 + (g / 6) % 6] || ' ' || g
           FROM generate_series(1, ?::int) AS g`,
        [USER_COUNT],
      );
      await trx('tags').insert(TAGS.map((name) => ({ name })));
      await trx.raw(
        `INSERT INTO pages (slug, title, summary, body, author_id, created_at, updated_at)
         SELECT 'page-' || g,
                'Team handbook entry ' || g,
                'How the team handles topic ' || g || ' day to day.',
                repeat('Paragraph describing the process, the owners and the escalation path. ', 20),
                1 + g % ?::int,
                now() - ((g * 37) || ' minutes')::interval,
                now() - ((g * 11) || ' minutes')::interval
           FROM generate_series(1, ?::int) AS g`,
        [USER_COUNT, PAGE_COUNT],
      );
      await trx.raw(
        `INSERT INTO page_tags (page_id, tag_id)
         SELECT p.id, 1 + (p.id * 5 + k * 7) % ?::int
           FROM pages p CROSS JOIN generate_series(0, 2) AS k`,
        [TAGS.length],
      );
    });
    await knex.raw('ANALYZE');
    console.log(`seeded ${PAGE_COUNT} pages`);
  } finally {
    await knex.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
