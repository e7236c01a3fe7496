'use strict';

const { pool } = require('../db/pool');

async function summarySince(minutes) {
  const [rows] = await pool.query(
    `SELECT COUNT(*) AS total, COALESCE(SUM(ok = 0), 0) AS failed,
            ROUND(AVG(latency_ms)) AS avgLatencyMs, MAX(latency_ms) AS maxLatencyMs
     FROM checks WHERE checked_at >= NOW() - INTERVAL ? MINUTE`,
    [minutes]
  );
  return rows[0];
}

module.exports = { summarySince };
