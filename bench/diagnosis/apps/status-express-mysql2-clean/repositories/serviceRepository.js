'use strict';

const { pool } = require('../db/pool');

async function countByStatus() {
  const [rows] = await pool.query('SELECT status, COUNT(*) AS n FROM services GROUP BY status');
  return rows;
}

async function listServices() {
  const [rows] = await pool.query('SELECT id, name, team, status FROM services ORDER BY name');
  return rows;
}

module.exports = { countByStatus, listServices };
