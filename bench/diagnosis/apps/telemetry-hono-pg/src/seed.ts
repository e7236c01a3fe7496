import { ensureDatabase, pool } from './db.js';

const SITES = ['warehouse-north', 'warehouse-south', 'cold-store-1', 'office-hq', 'greenhouse'];
const MODELS = ['TH-200', 'TH-210', 'EnviroSense Mini'];

async function main(): Promise<void> {
  await ensureDatabase();
  await pool.query(`
    CREATE TABLE IF NOT EXISTS devices (
      id integer PRIMARY KEY,
      serial text NOT NULL UNIQUE,
      model text NOT NULL,
      site text NOT NULL,
      installed_at timestamptz NOT NULL,
      last_seen_at timestamptz
    );
    CREATE TABLE IF NOT EXISTS readings (
      id bigserial PRIMARY KEY,
      device_id integer NOT NULL REFERENCES devices(id),
      recorded_at timestamptz NOT NULL,
      temperature_c real NOT NULL,
      humidity_pct real NOT NULL,
      battery_mv integer NOT NULL,
      rssi_dbm integer NOT NULL
    );
    CREATE INDEX IF NOT EXISTS readings_device_time_idx ON readings (device_id, recorded_at);
  `);

  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM readings');
  if (Number(rows[0].n) > 0) {
    console.log(`already seeded (${rows[0].n} readings)`);
    await pool.end();
    return;
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (let id = 1; id <= 120; id++) {
      await client.query(
        `INSERT INTO devices (id, serial, model, site, installed_at, last_seen_at)
         VALUES ($1, $2, $3, $4, now() - interval '400 days', now())`,
        [id, `SN-${String(100000 + id * 37)}`, MODELS[id % MODELS.length], SITES[id % SITES.length]],
      );
    }
    // Device 7 has reported every 10 minutes for ~347 days (50,000 readings);
    // the rest joined recently and report every 10 minutes for ~2 weeks.
    await client.query(`
      INSERT INTO readings (device_id, recorded_at, temperature_c, humidity_pct, battery_mv, rssi_dbm)
      SELECT 7,
             now() - (g * interval '10 minutes'),
             round((4 + 3 * sin(g / 144.0) + random())::numeric, 2),
             round((55 + 10 * cos(g / 300.0) + random() * 3)::numeric, 1),
             3600 - (g / 200),
             -60 - (g % 25)
      FROM generate_series(1, 50000) AS g
    `);
    await client.query(`
      INSERT INTO readings (device_id, recorded_at, temperature_c, humidity_pct, battery_mv, rssi_dbm)
      SELECT d, now() - (g * interval '10 minutes'),
             round((18 + 4 * sin(g / 144.0) + random())::numeric, 2),
             round((45 + random() * 10)::numeric, 1),
             3700 - (g / 100), -55 - ((g + d) % 30)
      FROM generate_series(1, 120) AS d, generate_series(1, 2000) AS g
      WHERE d <> 7
    `);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  await pool.query('ANALYZE readings');
  const count = await pool.query<{ n: string }>('SELECT count(*) AS n FROM readings');
  console.log(`seeded 120 devices, ${count.rows[0].n} readings`);
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
