'use strict';

const mysql = require('mysql2');

const settings = {
  host: process.env.MYSQL_HOST || '127.0.0.1',
  port: Number(process.env.MYSQL_PORT || 3306),
  user: process.env.MYSQL_USER || 'root',
  password: process.env.MYSQL_PASSWORD || '',
  database: process.env.MYSQL_DATABASE || 'diag_logs-koa-mysql2',
};

const pool = mysql.createPool({
  ...settings,
  connectionLimit: 8,
  dateStrings: true,
  supportBigNumbers: true,
});

module.exports = { pool, settings };
