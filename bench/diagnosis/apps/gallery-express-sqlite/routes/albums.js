'use strict';

const express = require('express');
const photoService = require('../services/photoService');

const router = express.Router();

function parseId(value) {
  const n = Number.parseInt(value, 10);
  return Number.isInteger(n) && n > 0 ? n : null;
}

router.get('/', (req, res) => {
  res.json({ albums: photoService.getAlbums() });
});

router.get('/:id/photos', (req, res) => {
  const albumId = parseId(req.params.id);
  if (!albumId) return res.status(400).json({ error: 'invalid album id' });
  res.json(photoService.getAlbumPhotos(albumId));
});

router.get('/:id/photos/:photoId', (req, res) => {
  const albumId = parseId(req.params.id);
  const photoId = parseId(req.params.photoId);
  if (!albumId || !photoId) return res.status(400).json({ error: 'invalid id' });
  res.json(photoService.getPhoto(albumId, photoId));
});

module.exports = router;
