'use strict';

const { pool } = require('../db/pool');

async function upcomingSummary(days) {
  const [rows] = await pool.query(
    `SELECT COUNT(*) AS upcoming, MIN(starts_at) AS nextStartsAt
     FROM maintenance_windows WHERE starts_at >= NOW() AND starts_at < NOW() + INTERVAL ? DAY`,
    [days]
  );
  return rows[0];
}

module.exports = { upcomingSummary };
