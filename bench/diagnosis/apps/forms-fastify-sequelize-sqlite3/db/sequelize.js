'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Sequelize } = require('sequelize');

const storage = process.env.FORMS_DB || path.join(__dirname, '..', 'data', 'forms.sqlite');
fs.mkdirSync(path.dirname(storage), { recursive: true });

const sequelize = new Sequelize({
  dialect: 'sqlite',
  storage,
  logging: process.env.SQL_LOG ? console.log : false,
});

module.exports = { sequelize };
