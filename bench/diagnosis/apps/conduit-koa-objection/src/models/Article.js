'use strict';

const { Model } = require('objection');

class Article extends Model {
  static get tableName() {
    return 'articles';
  }

  static get relationMappings() {
    const User = require('./User');
    const Tag = require('./Tag');
    return {
      author: {
        relation: Model.BelongsToOneRelation,
        modelClass: User,
        join: { from: 'articles.author_id', to: 'users.id' },
      },
      tags: {
        relation: Model.ManyToManyRelation,
        modelClass: Tag,
        join: {
          from: 'articles.id',
          through: { from: 'article_tags.article_id', to: 'article_tags.tag_id' },
          to: 'tags.id',
        },
      },
    };
  }

  $beforeUpdate() {
    this.updated_at = new Date().toISOString();
  }
}

module.exports = Article;
