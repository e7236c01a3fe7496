'use strict';

const { Model } = require('objection');

class Follow extends Model {
  static get tableName() {
    return 'follows';
  }

  static get idColumn() {
    return ['follower_id', 'followee_id'];
  }
}

module.exports = Follow;
