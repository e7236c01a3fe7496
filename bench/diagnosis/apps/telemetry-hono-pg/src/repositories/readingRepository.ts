import { pool } from '../db.js';
import type { Reading } from '../types.js';

interface ReadingRow {
  recorded_at: Date;
  temperature_c: number;
  humidity_pct: number;
  battery_mv: number;
  rssi_dbm: number;
}

const COLUMNS = 'recorded_at, temperature_c, humidity_pct, battery_mv, rssi_dbm';

function toReading(row: ReadingRow): Reading {
  return {
    recordedAt: row.recorded_at.toISOString(),
    temperatureC: row.temperature_c,
    humidityPct: row.humidity_pct,
    batteryMv: row.battery_mv,
    rssiDbm: row.rssi_dbm,
  };
}

export async function readingsForDevice(deviceId: number): Promise<Reading[]> {
  const sql = `SELECT ${COLUMNS} FROM readings WHERE device_id = $1 ORDER BY recorded_at DESC`;
  const { rows } = await pool.query<ReadingRow>(sql, [deviceId]);
  return rows.map(toReading);
}

export async function latestReading(deviceId: number): Promise<Reading | null> {
  const { rows } = await pool.query<ReadingRow>(
    `SELECT ${COLUMNS} FROM readings WHERE device_id = $1 ORDER BY recorded_at DESC LIMIT 1`,
    [deviceId],
  );
  return rows[0] ? toReading(rows[0]) : null;
}
