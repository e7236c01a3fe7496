import { db } from '../db.js';
import type { Source } from '../types.js';

const activeStmt = db.prepare(
  'SELECT id, name, feed_url AS feedUrl, category FROM sources WHERE active = 1 ORDER BY name',
);

export function activeSources(): Source[] {
  return activeStmt.all() as Source[];
}
