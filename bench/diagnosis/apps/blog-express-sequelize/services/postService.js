'use strict';

const { Post, User, Tag, Comment, Like } = require('../models');

function serializePost(post) {
  const likes = post.likes || [];
  return {
    id: post.id,
    slug: post.slug,
    title: post.title,
    excerpt: post.excerpt,
    body: post.body,
    publishedAt: post.publishedAt,
    author: post.author ? { id: post.author.id, username: post.author.username, displayName: post.author.displayName } : null,
    tags: (post.tags || []).map((t) => t.name).sort(),
    comments: (post.comments || []).map((c) => ({
      id: c.id,
      authorName: c.authorName,
      body: c.body,
      createdAt: c.createdAt,
    })),
    likeCount: likes.length,
    likedBy: likes.map((l) => l.userId),
  };
}

async function listPublished({ tag, limit = 10, offset = 0 } = {}) {
  const include = [{ model: User, as: 'author', attributes: ['id', 'username', 'displayName'] }];
  if (tag) {
    include.push({ model: Tag, as: 'tags', where: { name: tag }, attributes: [], through: { attributes: [] } });
  }
  const posts = await Post.findAll({
    where: { status: 'published' },
    attributes: ['id', 'slug', 'title', 'excerpt', 'publishedAt'],
    include,
    order: [['publishedAt', 'DESC']],
    limit,
    offset,
  });
  return posts.map((p) => ({
    id: p.id,
    slug: p.slug,
    title: p.title,
    excerpt: p.excerpt,
    publishedAt: p.publishedAt,
    author: p.author ? p.author.displayName : null,
  }));
}

async function getPublishedPost(slug) {
  const post = await Post.findOne({
    where: { slug, status: 'published' },
    include: [
      { model: User, as: 'author', attributes: ['id', 'username', 'displayName'] },
      { model: Tag, as: 'tags', attributes: ['id', 'name'], through: { attributes: [] } },
      { model: Comment, as: 'comments', attributes: ['id', 'authorName', 'body', 'createdAt'] },
      { model: Like, as: 'likes', attributes: ['id', 'userId', 'createdAt'] },
    ],
    order: [[{ model: Comment, as: 'comments' }, 'createdAt', 'ASC']],
  });
  return post ? serializePost(post) : null;
}

async function addComment(slug, { authorName, body }) {
  const post = await Post.findOne({ where: { slug, status: 'published' }, attributes: ['id'] });
  if (!post) return null;
  const comment = await Comment.create({ postId: post.id, authorName, body });
  return { id: comment.id, authorName: comment.authorName, body: comment.body, createdAt: comment.createdAt };
}

module.exports = { listPublished, getPublishedPost, addComment };
