'use strict';

const mysql = require('mysql2');
const { settings } = require('./lib/db');

const ROWS = 400000;

const conn = mysql.createConnection({
  host: settings.host,
  port: settings.port,
  user: settings.user,
  password: settings.password,
  multipleStatements: true,
});

function fail(err) {
  console.error(err);
  conn.destroy();
  process.exit(1);
}

const db = '`' + settings.database + '`';

conn.query(`CREATE DATABASE IF NOT EXISTS ${db}; USE ${db}`, (err) => {
  if (err) return fail(err);
  conn.query(
    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = 'audit_events'",
    [settings.database],
    (err, rows) => {
      if (err) return fail(err);
      if (rows[0].n === 0) return create();
      conn.query('SELECT COUNT(*) AS n FROM audit_events', (err, count) => {
        if (err) return fail(err);
        if (count[0].n === ROWS) {
          console.log('seed: already present');
          return conn.end();
        }
        create();
      });
    }
  );
});

function create() {
  const sql = `
    DROP TABLE IF EXISTS audit_events;
    CREATE TABLE audit_events (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      actor VARCHAR(32) NOT NULL,
      action VARCHAR(48) NOT NULL,
      target_type VARCHAR(32) NOT NULL,
      target_id VARCHAR(64) NOT NULL,
      ip_address VARCHAR(45) NULL,
      user_agent VARCHAR(255) NULL,
      outcome VARCHAR(16) NOT NULL,
      details TEXT NOT NULL,
      created_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB;
    INSERT INTO audit_events (actor, action, target_type, target_id, ip_address, user_agent, outcome, details, created_at)
    SELECT CONCAT('u', (seq * 7) % 2000),
           ELT(1 + seq % 8, 'login', 'logout', 'invoice.view', 'invoice.update', 'user.invite', 'role.change', 'export.csv', 'password.reset'),
           ELT(1 + seq % 4, 'session', 'invoice', 'user', 'report'),
           CONCAT('obj-', seq % 50000),
           CONCAT('10.', seq % 250, '.', (seq DIV 250) % 250, '.', seq % 200),
           ELT(1 + seq % 3, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0', 'okhttp/4.12.0'),
           IF(seq % 37 = 0, 'denied', 'success'),
           CONCAT('{"requestId":"', MD5(seq), '","source":"web"}'),
           TIMESTAMPADD(SECOND, seq * 60 + seq % 59, '2024-01-01 00:00:00')
    FROM seq_1_to_${ROWS};`;
  conn.query(sql, (err) => {
    if (err) return fail(err);
    conn.query('ANALYZE TABLE audit_events', (err) => {
      if (err) return fail(err);
      console.log(`seed: ${ROWS} audit events`);
      conn.end();
    });
  });
}
