'use strict';

const path = require('node:path');
const fs = require('node:fs');
const Database = require('better-sqlite3');

const DATA_DIR = path.join(__dirname, '..', 'data');
const DB_FILE = process.env.GALLERY_DB || path.join(DATA_DIR, 'gallery.sqlite');

let db;

function getDb() {
  if (!db) {
    fs.mkdirSync(path.dirname(DB_FILE), { recursive: true });
    db = new Database(DB_FILE);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
  }
  return db;
}

function migrate(conn) {
  conn.exec(`
    CREATE TABLE IF NOT EXISTS albums (
      id INTEGER PRIMARY KEY,
      owner TEXT NOT NULL,
      title TEXT NOT NULL,
      description TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS photos (
      id INTEGER PRIMARY KEY,
      album_id INTEGER NOT NULL REFERENCES albums(id),
      filename TEXT NOT NULL,
      caption TEXT,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      camera TEXT,
      iso INTEGER,
      taken_at TEXT NOT NULL,
      storage_key TEXT NOT NULL,
      thumbnail_b64 TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS idx_photos_album_taken ON photos(album_id, taken_at);
  `);
}

module.exports = { getDb, migrate, DB_FILE };
