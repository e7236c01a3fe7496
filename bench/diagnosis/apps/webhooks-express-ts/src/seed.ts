import { db, migrate } from './db.js';

migrate();
db.prepare(
  `INSERT INTO webhook_sources (provider, secret, salt, enabled) VALUES (?, ?, ?, 1)
   ON CONFLICT(provider) DO NOTHING`,
).run('github', 'correct-horse-battery-staple-ops-2025', 'gh-hooks-v1');
db.prepare(
  `INSERT INTO webhook_sources (provider, secret, salt, enabled) VALUES (?, ?, ?, 1)
   ON CONFLICT(provider) DO NOTHING`,
).run('stripe', 'stripe-endpoint-passphrase-42', 'stripe-hooks-v1');
console.log('webhook sources ready');
