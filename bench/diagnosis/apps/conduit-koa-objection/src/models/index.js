'use strict';

module.exports = {
  User: require('./User'),
  Article: require('./Article'),
  Tag: require('./Tag'),
  Favorite: require('./Favorite'),
  Follow: require('./Follow'),
};
