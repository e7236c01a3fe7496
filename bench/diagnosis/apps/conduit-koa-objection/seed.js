'use strict';

const Knex = require('knex');
const { connectionFor, DATABASE } = require('./src/db');

const USERS = 500;
const ARTICLES = 5000;
const TAGS = [
  'javascript', 'node', 'koa', 'postgres', 'sql', 'testing', 'devops', 'docker', 'kubernetes', 'react',
  'vue', 'css', 'design', 'career', 'productivity', 'security', 'performance', 'rust', 'go', 'python',
  'typescript', 'graphql', 'rest', 'architecture', 'cloud', 'aws', 'linux', 'git', 'open-source', 'ai',
];

async function ensureDatabase() {
  const admin = Knex({ client: 'pg', connection: connectionFor('test') });
  const { rows } = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [DATABASE]);
  if (rows.length === 0) {
    await admin.raw(`CREATE DATABASE "${DATABASE}"`);
  }
  await admin.destroy();
}

async function alreadySeeded(knex) {
  const exists = await knex.schema.hasTable('articles');
  if (!exists) return false;
  const [{ count }] = await knex('articles').count('* as count');
  return Number(count) === ARTICLES;
}

async function main() {
  await ensureDatabase();
  const knex = Knex({ client: 'pg', connection: connectionFor(DATABASE) });
  try {
    if (await alreadySeeded(knex)) {
      console.log('seed: already present');
      return;
    }
    await knex.transaction(async (trx) => {
      await trx.raw('DROP TABLE IF EXISTS favorites, follows, article_tags, tags, articles, users CASCADE');
      await trx.schema.createTable('users', (t) => {
        t.increments('id');
        t.string('username', 60).notNullable().unique();
        t.string('email', 160).notNullable().unique();
        t.text('bio');
        t.string('image', 300);
        t.timestamps(true, true);
      });
      await trx.schema.createTable('articles', (t) => {
        t.increments('id');
        t.string('slug', 200).notNullable().unique();
        t.string('title', 200).notNullable();
        t.string('description', 400).notNullable();
        t.text('body').notNullable();
        t.integer('author_id').notNullable().references('users.id').onDelete('CASCADE');
        t.timestamps(true, true);
        t.index(['author_id']);
        t.index(['created_at']);
      });
      await trx.schema.createTable('tags', (t) => {
        t.increments('id');
        t.string('name', 60).notNullable().unique();
      });
      await trx.schema.createTable('article_tags', (t) => {
        t.integer('article_id').notNullable().references('articles.id').onDelete('CASCADE');
        t.integer('tag_id').notNullable().references('tags.id').onDelete('CASCADE');
        t.primary(['article_id', 'tag_id']);
        t.index(['tag_id']);
      });
      await trx.schema.createTable('favorites', (t) => {
        t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
        t.integer('article_id').notNullable().references('articles.id').onDelete('CASCADE');
        t.primary(['user_id', 'article_id']);
        t.index(['article_id']);
      });
      await trx.schema.createTable('follows', (t) => {
        t.integer('follower_id').notNullable().references('users.id').onDelete('CASCADE');
        t.integer('followee_id').notNullable().references('users.id').onDelete('CASCADE');
        t.primary(['follower_id', 'followee_id']);
        t.index(['followee_id']);
      });

      await trx.raw(
        `INSERT INTO users (username, email, bio, image)
         SELECT CASE WHEN g = 1 THEN 'jake' ELSE 'writer' || g END,
                CASE WHEN g = 1 THEN 'jake@jake.jake' ELSE 'writer' || g || '@example.com' END,
                'Writes about software, teams and the occasional side project (#' || g || ').',
                'https://api.realworld.io/images/smiley-cyrus.jpeg'
         FROM generate_series(1, ?) AS g`,
        [USERS]
      );
      await trx('tags').insert(TAGS.map((name) => ({ name })));
      await trx.raw(
        `INSERT INTO articles (slug, title, description, body, author_id, created_at, updated_at)
         SELECT 'how-we-shipped-feature-' || g,
                'How we shipped feature ' || g,
                'Notes from the team on rolling out feature ' || g || ' without downtime.',
                repeat('We started with a small experiment and measured everything. ', 20),
                1 + (g * 7919) % ?,
                timestamp '2024-01-01' + (g || ' hours')::interval,
                timestamp '2024-01-01' + (g || ' hours')::interval
         FROM generate_series(1, ?) AS g`,
        [USERS, ARTICLES]
      );
      await trx.raw(
        `INSERT INTO article_tags (article_id, tag_id)
         SELECT DISTINCT a.id, 1 + (a.id * k * 13) % ?
         FROM articles a CROSS JOIN generate_series(1, 3) AS k`,
        [TAGS.length]
      );
      await trx.raw(
        `INSERT INTO favorites (user_id, article_id)
         SELECT DISTINCT 1 + (a.id * k * 31) % ?, a.id
         FROM articles a CROSS JOIN generate_series(1, 8) AS k`,
        [USERS]
      );
      await trx.raw(
        `INSERT INTO follows (follower_id, followee_id)
         SELECT DISTINCT u.id, 1 + (u.id * k * 17) % ?
         FROM users u CROSS JOIN generate_series(1, 12) AS k
         WHERE 1 + (u.id * k * 17) % ? <> u.id`,
        [USERS, USERS]
      );
    });
    await knex.raw('ANALYZE');
    console.log(`seed: ${USERS} users, ${ARTICLES} articles`);
  } finally {
    await knex.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
