'use strict';

// Builds the TypeScript sources and loads demo data into MariaDB (idempotent).
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const mysql = require('mysql2/promise');

const DB_NAME = process.env.DB_NAME || 'diag_analytics-nest-mikroorm-mariadb';
const SECTIONS = ['docs', 'blog', 'guides', 'changelog', 'integrations'];
const WORDS = ['getting', 'started', 'deploy', 'scaling', 'postgres', 'caching', 'auth', 'billing', 'webhooks',
  'metrics', 'alerts', 'teams', 'api', 'limits', 'migration', 'backup', 'cli', 'sdk', 'regions', 'logs'];
const REFERRERS = [null, 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://twitter.com/', 'https://github.com/'];
const PAGE_COUNT = 4000;
const VIEW_COUNT = 30000;

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function build() {
  const output = path.join(__dirname, 'dist', 'main.js');
  if (fs.existsSync(output) && fs.statSync(output).mtimeMs >= newestMtime(path.join(__dirname, 'src'))) return;
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit', cwd: __dirname });
}

async function seed() {
  const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\``);
  await admin.end();

  const db = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: DB_NAME });
  await db.query(`
    CREATE TABLE IF NOT EXISTS pages (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      path VARCHAR(255) NOT NULL,
      title VARCHAR(255) NOT NULL,
      section VARCHAR(64) NOT NULL,
      published_at DATETIME NOT NULL,
      UNIQUE KEY pages_path_unique (path)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS page_views (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      path VARCHAR(512) NOT NULL,
      visitor_id VARCHAR(64) NOT NULL,
      referrer VARCHAR(255) NULL,
      duration_ms INT NOT NULL,
      viewed_at DATETIME NOT NULL,
      KEY page_views_viewed_at_index (viewed_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);

  const [[{ n }]] = await db.query('SELECT COUNT(*) AS n FROM page_views');
  if (n > 0) {
    console.log(`already seeded (${n} page views)`);
    await db.end();
    return;
  }

  const rand = rng(42);
  const pages = [];
  for (let i = 0; i < PAGE_COUNT; i++) {
    const section = SECTIONS[i % SECTIONS.length];
    const words = [WORDS[(i * 7) % WORDS.length], WORDS[(i * 13 + 3) % WORDS.length], WORDS[(i * 3 + 1) % WORDS.length]];
    const path = `/${section}/${words.join('-')}-${i + 1}`;
    const title = words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
    pages.push([path, title, section, new Date(Date.UTC(2023, 0, 1) + i * 6 * 3600 * 1000)]);
  }

  await db.beginTransaction();
  for (let i = 0; i < pages.length; i += 500) {
    await db.query('INSERT INTO pages (path, title, section, published_at) VALUES ?', [pages.slice(i, i + 500)]);
  }
  const now = Date.now();
  let batch = [];
  for (let v = 0; v < VIEW_COUNT; v++) {
    const r = rand();
    // mild popularity skew across the catalogue, plus a few unknown paths
    const idx = Math.floor(Math.pow(r, 1.3) * PAGE_COUNT);
    let path = v % 53 === 0 ? `/old/${v}` : pages[(idx * 7919) % PAGE_COUNT][0];
    if (v % 5 === 0) path += '?utm_source=newsletter';
    batch.push([
      path,
      `v-${Math.floor(rand() * 9000).toString(36)}`,
      REFERRERS[v % REFERRERS.length],
      500 + Math.floor(rand() * 120000),
      new Date(now - Math.floor(rand() * 28 * 24 * 3600 * 1000)),
    ]);
    if (batch.length === 1000) {
      await db.query('INSERT INTO page_views (path, visitor_id, referrer, duration_ms, viewed_at) VALUES ?', [batch]);
      batch = [];
    }
  }
  if (batch.length) {
    await db.query('INSERT INTO page_views (path, visitor_id, referrer, duration_ms, viewed_at) VALUES ?', [batch]);
  }
  await db.commit();
  console.log(`seeded ${PAGE_COUNT} pages, ${VIEW_COUNT} page views`);
  await db.end();
}

build();
seed().catch((err) => {
  console.error(err);
  process.exit(1);
});
