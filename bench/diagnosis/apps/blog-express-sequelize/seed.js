'use strict';

const { Client } = require('pg');
const { sequelize, databaseName, connection, User, Post, Tag, PostTag, Comment, Like } = require('./models');

const POSTS = 200;
const TAGS_PER_POST = 10;
const COMMENTS_PER_POST = 80;
const LIKES_PER_POST = 150;
const USERS = 400;
const TAG_NAMES = [
  'javascript', 'node', 'postgres', 'devops', 'testing', 'css', 'react', 'security', 'career', 'design',
  'performance', 'tooling', 'linux', 'networking', 'databases', 'cloud', 'api', 'typescript', 'rust', 'go',
  'observability', 'architecture', 'mobile', 'accessibility', 'open-source',
];

async function ensureDatabase() {
  const admin = new Client({ host: connection.host, port: connection.port, user: connection.username, database: 'test' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.end();
  }
}

async function main() {
  await ensureDatabase();
  await sequelize.sync();
  if ((await Post.count()) >= POSTS) {
    console.log('blog already seeded');
    return;
  }

  await sequelize.transaction(async (transaction) => {
    await sequelize.query('TRUNCATE likes, comments, post_tags, tags, posts, users RESTART IDENTITY CASCADE', { transaction });
    const now = Date.now();

    await User.bulkCreate(
      Array.from({ length: USERS }, (_, i) => ({ username: `reader${i + 1}`, displayName: `Reader ${i + 1}` })),
      { transaction },
    );
    await Tag.bulkCreate(TAG_NAMES.map((name) => ({ name })), { transaction });
    await Post.bulkCreate(
      Array.from({ length: POSTS }, (_, i) => ({
        slug: `post-${i + 1}`,
        title: `Notes from the field, part ${i + 1}`,
        excerpt: 'What we learned shipping this change and what we would do differently next time.',
        body: 'Long-form article text. '.repeat(12),
        status: i % 25 === 24 ? 'draft' : 'published',
        publishedAt: new Date(now - (POSTS - i) * 86400000),
        authorId: 1 + (i % 20),
      })),
      { transaction },
    );

    const postTags = [];
    const comments = [];
    const likes = [];
    for (let p = 1; p <= POSTS; p++) {
      for (let t = 0; t < TAGS_PER_POST; t++) {
        postTags.push({ postId: p, tagId: 1 + ((p + t * 2) % TAG_NAMES.length) });
      }
      for (let c = 0; c < COMMENTS_PER_POST; c++) {
        comments.push({
          postId: p,
          authorName: `Reader ${1 + ((p * 7 + c) % USERS)}`,
          body: `Thanks for writing this up. Comment ${c + 1} on post ${p}: the section on rollout was useful.`,
          createdAt: new Date(now - (COMMENTS_PER_POST - c) * 3600000),
          updatedAt: new Date(now - (COMMENTS_PER_POST - c) * 3600000),
        });
      }
      for (let l = 0; l < LIKES_PER_POST; l++) {
        likes.push({ postId: p, userId: 1 + ((p + l) % USERS) });
      }
    }
    await PostTag.bulkCreate(postTags, { transaction });
    for (let i = 0; i < comments.length; i += 4000) {
      await Comment.bulkCreate(comments.slice(i, i + 4000), { transaction });
    }
    for (let i = 0; i < likes.length; i += 6000) {
      await Like.bulkCreate(likes.slice(i, i + 6000), { transaction });
    }
  });
  await sequelize.query('ANALYZE');
  console.log(`seeded ${POSTS} posts with tags, comments and likes`);
}

main()
  .then(() => sequelize.close())
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
