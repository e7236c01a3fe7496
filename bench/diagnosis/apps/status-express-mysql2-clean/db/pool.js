'use strict';

const mysql = require('mysql2/promise');

const DB_NAME = process.env.DB_NAME || 'diag_status-express-mysql2-clean';
const connection = {
  host: process.env.DB_HOST || '127.0.0.1',
  port: Number(process.env.DB_PORT || 3306),
  user: process.env.DB_USER || 'root',
  password: process.env.DB_PASSWORD || '',
};

const pool = mysql.createPool({ ...connection, database: DB_NAME, connectionLimit: 8, dateStrings: false });

module.exports = { pool, connection, DB_NAME };
