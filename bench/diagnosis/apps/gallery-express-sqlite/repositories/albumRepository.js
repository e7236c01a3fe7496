'use strict';

const { getDb } = require('../db');

function findAlbumById(id) {
  return getDb()
    .prepare('SELECT id, owner, title, description, created_at FROM albums WHERE id = ?')
    .get(id);
}

function listAlbums() {
  return getDb()
    .prepare(`
      SELECT a.id, a.owner, a.title, a.created_at, COUNT(p.id) AS photo_count
      FROM albums a LEFT JOIN photos p ON p.album_id = a.id
      GROUP BY a.id ORDER BY a.created_at DESC
    `)
    .all();
}

module.exports = { findAlbumById, listAlbums };
