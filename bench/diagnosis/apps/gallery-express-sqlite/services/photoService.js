'use strict';

const albums = require('../repositories/albumRepository');
const photos = require('../repositories/photoRepository');

const CDN_BASE = process.env.CDN_BASE || 'https://cdn.gallery.local/originals';

class NotFoundError extends Error {
  constructor(message) {
    super(message);
    this.status = 404;
  }
}

function toPhotoDto(row) {
  return {
    id: row.id,
    filename: row.filename,
    caption: row.caption,
    width: row.width,
    height: row.height,
    exif: { camera: row.camera, iso: row.iso },
    takenAt: row.taken_at,
    originalUrl: `${CDN_BASE}/${row.storage_key}`,
    thumbnail: `data:image/jpeg;base64,${row.thumbnail_b64}`,
  };
}

function getAlbumPhotos(albumId) {
  const album = albums.findAlbumById(albumId);
  if (!album) throw new NotFoundError(`album ${albumId} not found`);

  const rows = photos.listPhotosByAlbum(albumId);
  return {
    album: { id: album.id, title: album.title, owner: album.owner, createdAt: album.created_at },
    count: rows.length,
    photos: rows.map(toPhotoDto),
  };
}

function getPhoto(albumId, photoId) {
  const row = photos.findPhoto(albumId, photoId);
  if (!row) throw new NotFoundError(`photo ${photoId} not found in album ${albumId}`);
  return toPhotoDto(row);
}

function getAlbums() {
  return albums.listAlbums().map((a) => ({
    id: a.id,
    title: a.title,
    owner: a.owner,
    createdAt: a.created_at,
    photoCount: a.photo_count,
  }));
}

module.exports = { getAlbumPhotos, getPhoto, getAlbums, NotFoundError };
