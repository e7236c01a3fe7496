'use strict';

const mysql = require('mysql2/promise');

const config = {
  host: process.env.DB_HOST || '127.0.0.1',
  port: Number(process.env.DB_PORT || 3306),
  user: process.env.DB_USER || 'root',
  password: process.env.DB_PASSWORD || '',
  database: process.env.DB_NAME || 'diag_shipping-express-mysql2',
};

const pool = mysql.createPool({
  ...config,
  connectionLimit: 10,
  waitForConnections: true,
  dateStrings: true,
  decimalNumbers: true,
});

module.exports = { pool, config };
