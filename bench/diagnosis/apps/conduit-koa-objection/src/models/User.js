'use strict';

const { Model } = require('objection');

class User extends Model {
  static get tableName() {
    return 'users';
  }

  static get relationMappings() {
    const Article = require('./Article');
    return {
      articles: {
        relation: Model.HasManyRelation,
        modelClass: Article,
        join: { from: 'users.id', to: 'articles.author_id' },
      },
      followers: {
        relation: Model.ManyToManyRelation,
        modelClass: User,
        join: {
          from: 'users.id',
          through: { from: 'follows.followee_id', to: 'follows.follower_id' },
          to: 'users.id',
        },
      },
    };
  }

  toProfile(following = false) {
    return {
      username: this.username,
      bio: this.bio,
      image: this.image,
      following,
    };
  }
}

module.exports = User;
