import { pool } from '../db.js';
import type { Device } from '../types.js';

interface DeviceRow {
  id: number;
  serial: string;
  model: string;
  site: string;
  installed_at: Date;
  last_seen_at: Date | null;
}

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    serial: row.serial,
    model: row.model,
    site: row.site,
    installedAt: row.installed_at.toISOString(),
    lastSeenAt: row.last_seen_at ? row.last_seen_at.toISOString() : null,
  };
}

export async function findDevice(id: number): Promise<Device | null> {
  const { rows } = await pool.query<DeviceRow>(
    'SELECT id, serial, model, site, installed_at, last_seen_at FROM devices WHERE id = $1',
    [id],
  );
  return rows[0] ? toDevice(rows[0]) : null;
}

export async function listDevices(site?: string): Promise<Device[]> {
  const { rows } = site
    ? await pool.query<DeviceRow>('SELECT * FROM devices WHERE site = $1 ORDER BY id', [site])
    : await pool.query<DeviceRow>('SELECT * FROM devices ORDER BY id');
  return rows.map(toDevice);
}
