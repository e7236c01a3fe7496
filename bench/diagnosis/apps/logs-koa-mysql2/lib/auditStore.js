'use strict';

const { pool } = require('./db');

const FIELDS = 'id, actor, action, target_type, target_id, ip_address, user_agent, outcome, created_at';

function recentForActor(actor, limit, before, callback) {
  const params = [actor];
  let cursor = '';
  if (before) {
    cursor = ' AND created_at < ?';
    params.push(before);
  }
  params.push(limit);
  pool.query(`SELECT ${FIELDS} FROM audit_events WHERE actor = ?${cursor} ORDER BY created_at DESC LIMIT ?`, params, callback);
}

function findById(id, callback) {
  pool.query(`SELECT ${FIELDS}, details FROM audit_events WHERE id = ?`, [id], (err, rows) => {
    if (err) return callback(err);
    callback(null, rows[0] || null);
  });
}

function record(event, callback) {
  pool.query(
    'INSERT INTO audit_events (actor, action, target_type, target_id, ip_address, user_agent, outcome, details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3))',
    [
      event.actor,
      event.action,
      event.targetType,
      event.targetId,
      event.ipAddress || null,
      event.userAgent || null,
      event.outcome || 'success',
      JSON.stringify(event.details || {}),
    ],
    (err, result) => {
      if (err) return callback(err);
      callback(null, result.insertId);
    }
  );
}

module.exports = { recentForActor, findById, record };
