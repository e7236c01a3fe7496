'use strict';

const { Model } = require('objection');

class Favorite extends Model {
  static get tableName() {
    return 'favorites';
  }

  static get idColumn() {
    return ['user_id', 'article_id'];
  }
}

module.exports = Favorite;
