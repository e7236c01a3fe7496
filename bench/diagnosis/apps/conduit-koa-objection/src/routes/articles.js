'use strict';

const Router = require('@koa/router');
const articleService = require('../services/articleService');
const { serializeArticles, serializeArticle } = require('../serializers/articleSerializer');
const { Tag, User, Follow } = require('../models');

const router = new Router({ prefix: '/api' });

function paging(query) {
  const limit = Math.min(Math.max(parseInt(query.limit, 10) || 20, 1), 100);
  const offset = Math.max(parseInt(query.offset, 10) || 0, 0);
  return { limit, offset };
}

router.get('/articles', async (ctx) => {
  const { tag, author, favorited } = ctx.query;
  const { articles, articlesCount } = await articleService.listArticles(
    { tag, author, favorited },
    paging(ctx.query)
  );
  ctx.body = {
    articles: await serializeArticles(articles, ctx.state.user),
    articlesCount,
  };
});

router.get('/articles/:slug', async (ctx) => {
  const article = await articleService.findBySlug(ctx.params.slug);
  if (!article) {
    ctx.throw(404, 'article not found');
  }
  ctx.body = { article: await serializeArticle(article, ctx.state.user) };
});

router.get('/tags', async (ctx) => {
  const tags = await Tag.query().select('name').orderBy('name');
  ctx.body = { tags: tags.map((t) => t.name) };
});

router.get('/profiles/:username', async (ctx) => {
  const profile = await User.query().findOne({ username: ctx.params.username });
  if (!profile) {
    ctx.throw(404, 'profile not found');
  }
  const viewer = ctx.state.user;
  const following = viewer
    ? (await Follow.query().findById([viewer.id, profile.id])) !== undefined
    : false;
  ctx.body = { profile: profile.toProfile(following) };
});

module.exports = router;
