import { db } from '../db.js';

export interface WebhookSource {
  provider: string;
  secret: string;
  salt: string;
  enabled: boolean;
}

const byProvider = db.prepare('SELECT provider, secret, salt, enabled FROM webhook_sources WHERE provider = ?');

export function getSource(provider: string): WebhookSource | undefined {
  const row = byProvider.get(provider) as
    | { provider: string; secret: string; salt: string; enabled: number }
    | undefined;
  return row && { ...row, enabled: row.enabled === 1 };
}
