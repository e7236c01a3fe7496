'use strict';

const mysql = require('mysql2/promise');
const { connection, DB_NAME } = require('./db/pool');

const TEAMS = ['platform', 'payments', 'identity', 'search', 'messaging', 'data'];
const SERVICE_COUNT = 60;

async function main() {
  const admin = await mysql.createConnection(connection);
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\``);
  await admin.end();

  const db = await mysql.createConnection({ ...connection, database: DB_NAME, multipleStatements: true });
  await db.query(`
    CREATE TABLE IF NOT EXISTS services (
      id INT UNSIGNED NOT NULL PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      team VARCHAR(50) NOT NULL,
      status ENUM('operational','degraded','down','maintenance') NOT NULL DEFAULT 'operational',
      KEY services_status_idx (status)
    ) ENGINE=InnoDB;
    CREATE TABLE IF NOT EXISTS incidents (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      service_id INT UNSIGNED NOT NULL,
      severity ENUM('minor','major','critical') NOT NULL,
      title VARCHAR(200) NOT NULL,
      opened_at DATETIME NOT NULL,
      resolved_at DATETIME NULL,
      KEY incidents_open_idx (resolved_at, severity),
      KEY incidents_opened_idx (opened_at),
      CONSTRAINT incidents_service_fk FOREIGN KEY (service_id) REFERENCES services(id)
    ) ENGINE=InnoDB;
    CREATE TABLE IF NOT EXISTS checks (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      service_id INT UNSIGNED NOT NULL,
      checked_at DATETIME NOT NULL,
      latency_ms INT UNSIGNED NOT NULL,
      ok TINYINT(1) NOT NULL,
      KEY checks_checked_at_idx (checked_at, ok, latency_ms)
    ) ENGINE=InnoDB;
    CREATE TABLE IF NOT EXISTS maintenance_windows (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      service_id INT UNSIGNED NOT NULL,
      title VARCHAR(200) NOT NULL,
      starts_at DATETIME NOT NULL,
      ends_at DATETIME NOT NULL,
      KEY maintenance_starts_idx (starts_at)
    ) ENGINE=InnoDB;
  `);

  const [[{ n }]] = await db.query('SELECT COUNT(*) AS n FROM checks');
  if (n > 0) {
    console.log(`already seeded (${n} checks)`);
    await db.end();
    return;
  }

  const serviceRows = [];
  for (let i = 1; i <= SERVICE_COUNT; i++) {
    const status = i === 17 ? 'degraded' : i === 42 ? 'maintenance' : 'operational';
    serviceRows.push([i, `${TEAMS[i % TEAMS.length]}-svc-${String(i).padStart(2, '0')}`, TEAMS[i % TEAMS.length], status]);
  }

  await db.beginTransaction();
  await db.query('INSERT INTO services (id, name, team, status) VALUES ?', [serviceRows]);
  // a year of incident history, almost all resolved
  await db.query(`
    INSERT INTO incidents (service_id, severity, title, opened_at, resolved_at)
    SELECT 1 + seq % ${SERVICE_COUNT},
           ELT(1 + (seq % 10 = 0) + (seq % 50 = 0), 'minor', 'major', 'critical'),
           CONCAT('Elevated error rate #', seq),
           NOW() - INTERVAL seq * 97 MINUTE,
           IF(seq IN (3, 10, 27, 31), NULL, NOW() - INTERVAL seq * 97 MINUTE + INTERVAL 20 + seq % 180 MINUTE)
    FROM seq_1_to_5400`);
  // one check per service every 2 minutes for the last 7 days
  await db.query(`
    INSERT INTO checks (service_id, checked_at, latency_ms, ok)
    SELECT 1 + s.seq % ${SERVICE_COUNT},
           NOW() - INTERVAL t.seq * 2 MINUTE - INTERVAL s.seq SECOND,
           40 + (s.seq * 37 + t.seq * 11) % 400,
           ((s.seq + t.seq) % 53) <> 0
    FROM seq_1_to_${SERVICE_COUNT} s, seq_0_to_5039 t`);
  await db.query(`
    INSERT INTO maintenance_windows (service_id, title, starts_at, ends_at)
    SELECT 1 + seq % ${SERVICE_COUNT}, CONCAT('Planned upgrade ', seq),
           NOW() - INTERVAL 180 DAY + INTERVAL seq * 22 HOUR,
           NOW() - INTERVAL 180 DAY + INTERVAL seq * 22 HOUR + INTERVAL 2 HOUR
    FROM seq_1_to_400`);
  await db.commit();
  await db.query('ANALYZE TABLE services, incidents, checks, maintenance_windows');
  const [[{ total }]] = await db.query('SELECT COUNT(*) AS total FROM checks');
  console.log(`seeded ${SERVICE_COUNT} services, 5400 incidents, ${total} checks, 400 maintenance windows`);
  await db.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
