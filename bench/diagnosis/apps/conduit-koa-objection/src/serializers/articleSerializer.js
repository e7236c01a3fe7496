'use strict';

const { User, Favorite, Follow } = require('../models');

function toArticleJson(article, { author, tagList, favoritesCount, favorited, following }) {
  return {
    slug: article.slug,
    title: article.title,
    description: article.description,
    body: article.body,
    tagList,
    createdAt: new Date(article.created_at).toISOString(),
    updatedAt: new Date(article.updated_at).toISOString(),
    favorited,
    favoritesCount,
    author: author.toProfile(following),
  };
}

async function serializeArticles(articles, viewer) {
  const result = [];
  for (const article of articles) {
    const author = await User.query().findById(article.author_id);
    const tags = await article.$relatedQuery('tags').orderBy('tags.name');
    const [{ count }] = await Favorite.query().where('article_id', article.id).count('* as count');

    let favorited = false;
    let following = false;
    if (viewer) {
      favorited = (await Favorite.query().findById([viewer.id, article.id])) !== undefined;
      following = (await Follow.query().findById([viewer.id, article.author_id])) !== undefined;
    }

    result.push(
      toArticleJson(article, {
        author,
        tagList: tags.map((t) => t.name),
        favoritesCount: Number(count),
        favorited,
        following,
      })
    );
  }
  return result;
}

async function serializeArticle(article, viewer) {
  const [json] = await serializeArticles([article], viewer);
  return json;
}

module.exports = { serializeArticles, serializeArticle };
