'use strict';

const { Article } = require('../models');

function filteredQuery({ tag, author, favorited }) {
  const query = Article.query();
  if (tag) {
    query.whereExists(
      Article.relatedQuery('tags').where('tags.name', tag)
    );
  }
  if (author) {
    query.whereIn('author_id', (qb) => qb.select('id').from('users').where('username', author));
  }
  if (favorited) {
    query.whereIn('articles.id', (qb) =>
      qb
        .select('favorites.article_id')
        .from('favorites')
        .join('users', 'users.id', 'favorites.user_id')
        .where('users.username', favorited)
    );
  }
  return query;
}

async function listArticles(filters, { limit, offset }) {
  const [articles, countRow] = await Promise.all([
    filteredQuery(filters).orderBy('articles.created_at', 'desc').limit(limit).offset(offset),
    filteredQuery(filters).count('* as count').first(),
  ]);
  return { articles, articlesCount: Number(countRow.count) };
}

async function findBySlug(slug) {
  return Article.query().findOne({ slug });
}

module.exports = { listArticles, findBySlug };
