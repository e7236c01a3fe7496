import { db } from '../db.js';

const insertDelivery = db.prepare(
  'INSERT INTO deliveries (provider, delivery_id, event, repository) VALUES (?, ?, ?, ?)',
);
const recent = db.prepare(
  'SELECT id, provider, delivery_id, event, repository, received_at FROM deliveries WHERE provider = ? ORDER BY id DESC LIMIT ?',
);

export interface GithubPayload {
  action?: string;
  repository?: { full_name?: string };
  [key: string]: unknown;
}

export function recordDelivery(provider: string, deliveryId: string | undefined, event: string, payload: GithubPayload): number {
  const info = insertDelivery.run(provider, deliveryId ?? null, event, payload.repository?.full_name ?? null);
  return Number(info.lastInsertRowid);
}

export function recentDeliveries(provider: string, limit = 20): unknown[] {
  return recent.all(provider, limit);
}
