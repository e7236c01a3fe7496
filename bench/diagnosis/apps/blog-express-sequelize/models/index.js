'use strict';

const { Sequelize, DataTypes } = require('sequelize');

const databaseName = process.env.PGDATABASE || 'diag_blog_express_sequelize';

const connection = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  username: process.env.PGUSER || 'postgres',
  password: process.env.PGPASSWORD || null,
};

const sequelize = new Sequelize(databaseName, connection.username, connection.password, {
  host: connection.host,
  port: connection.port,
  dialect: 'postgres',
  logging: false,
  pool: { max: 10, min: 0, idle: 10000 },
});

const User = sequelize.define('User', {
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  username: { type: DataTypes.STRING(60), allowNull: false, unique: true },
  displayName: { type: DataTypes.STRING(120), allowNull: false },
}, { tableName: 'users', underscored: true });

const Post = sequelize.define('Post', {
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  slug: { type: DataTypes.STRING(160), allowNull: false, unique: true },
  title: { type: DataTypes.STRING(200), allowNull: false },
  excerpt: { type: DataTypes.TEXT, allowNull: false },
  body: { type: DataTypes.TEXT, allowNull: false },
  status: { type: DataTypes.ENUM('draft', 'published'), allowNull: false, defaultValue: 'draft' },
  publishedAt: { type: DataTypes.DATE },
}, { tableName: 'posts', underscored: true });

const Tag = sequelize.define('Tag', {
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  name: { type: DataTypes.STRING(60), allowNull: false, unique: true },
}, { tableName: 'tags', underscored: true, timestamps: false });

const PostTag = sequelize.define('PostTag', {}, {
  tableName: 'post_tags',
  underscored: true,
  timestamps: false,
});

const Comment = sequelize.define('Comment', {
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  authorName: { type: DataTypes.STRING(120), allowNull: false },
  body: { type: DataTypes.TEXT, allowNull: false },
}, {
  tableName: 'comments',
  underscored: true,
  indexes: [{ fields: ['post_id'] }],
});

const Like = sequelize.define('Like', {
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
}, {
  tableName: 'likes',
  underscored: true,
  updatedAt: false,
  indexes: [{ unique: true, fields: ['post_id', 'user_id'] }],
});

User.hasMany(Post, { as: 'posts', foreignKey: 'authorId' });
Post.belongsTo(User, { as: 'author', foreignKey: 'authorId' });

Post.belongsToMany(Tag, { through: PostTag, as: 'tags', foreignKey: 'postId', otherKey: 'tagId' });
Tag.belongsToMany(Post, { through: PostTag, as: 'posts', foreignKey: 'tagId', otherKey: 'postId' });

Post.hasMany(Comment, { as: 'comments', foreignKey: 'postId' });
Comment.belongsTo(Post, { as: 'post', foreignKey: 'postId' });

Post.hasMany(Like, { as: 'likes', foreignKey: 'postId' });
Like.belongsTo(Post, { as: 'post', foreignKey: 'postId' });
Like.belongsTo(User, { as: 'user', foreignKey: 'userId' });

module.exports = { sequelize, databaseName, connection, User, Post, Tag, PostTag, Comment, Like };
