'use strict';

const { DataTypes } = require('sequelize');
const { sequelize } = require('../db/sequelize');

const Form = sequelize.define(
  'Form',
  {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    slug: { type: DataTypes.STRING(80), allowNull: false, unique: true },
    title: { type: DataTypes.STRING(200), allowNull: false },
    ownerEmail: { type: DataTypes.STRING(200), allowNull: false },
    closedAt: { type: DataTypes.DATE, allowNull: true },
  },
  { tableName: 'forms', underscored: true }
);

const Submission = sequelize.define(
  'Submission',
  {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    formId: { type: DataTypes.INTEGER, allowNull: false },
    name: { type: DataTypes.STRING(200), allowNull: false },
    email: { type: DataTypes.STRING(200), allowNull: false },
    company: { type: DataTypes.STRING(200), allowNull: true },
    message: { type: DataTypes.TEXT, allowNull: true },
    source: { type: DataTypes.STRING(40), allowNull: true },
    submittedAt: { type: DataTypes.DATE, allowNull: false },
  },
  {
    tableName: 'submissions',
    underscored: true,
    timestamps: false,
    indexes: [{ fields: ['form_id', 'submitted_at'] }],
  }
);

Form.hasMany(Submission, { foreignKey: 'formId', as: 'submissions' });
Submission.belongsTo(Form, { foreignKey: 'formId', as: 'form' });

module.exports = { sequelize, Form, Submission };
