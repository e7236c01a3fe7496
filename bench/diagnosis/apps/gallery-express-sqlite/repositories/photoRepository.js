'use strict';

const { getDb } = require('../db');

function listPhotosByAlbum(albumId) {
  return getDb()
    .prepare('SELECT * FROM photos WHERE album_id = ? ORDER BY taken_at, id')
    .all(albumId);
}

function findPhoto(albumId, photoId) {
  return getDb()
    .prepare('SELECT * FROM photos WHERE album_id = ? AND id = ?')
    .get(albumId, photoId);
}

module.exports = { listPhotosByAlbum, findPhoto };
