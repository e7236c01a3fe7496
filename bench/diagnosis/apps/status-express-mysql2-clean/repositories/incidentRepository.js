'use strict';

const { pool } = require('../db/pool');

async function openCountBySeverity() {
  const [rows] = await pool.query(
    'SELECT severity, COUNT(*) AS n FROM incidents WHERE resolved_at IS NULL GROUP BY severity'
  );
  return rows;
}

async function recentIncidents(limit) {
  const [rows] = await pool.query(
    `SELECT i.id, s.name AS service, i.severity, i.title, i.opened_at, i.resolved_at
     FROM incidents i JOIN services s ON s.id = i.service_id
     ORDER BY i.opened_at DESC LIMIT ?`,
    [limit]
  );
  return rows;
}

module.exports = { openCountBySeverity, recentIncidents };
