'use strict';

const express = require('express');
const postService = require('../services/postService');

const router = express.Router();

router.get('/', async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 10, 50);
  const offset = Math.max(Number(req.query.offset) || 0, 0);
  const posts = await postService.listPublished({ tag: req.query.tag, limit, offset });
  res.json({ items: posts, limit, offset });
});

router.get('/:slug', async (req, res) => {
  const post = await postService.getPublishedPost(req.params.slug);
  if (!post) {
    return res.status(404).json({ error: 'post not found' });
  }
  res.json(post);
});

router.post('/:slug/comments', async (req, res) => {
  const { authorName, body } = req.body || {};
  if (!authorName || !body) {
    return res.status(400).json({ error: 'authorName and body are required' });
  }
  const comment = await postService.addComment(req.params.slug, { authorName, body });
  if (!comment) {
    return res.status(404).json({ error: 'post not found' });
  }
  res.status(201).json(comment);
});

module.exports = router;
