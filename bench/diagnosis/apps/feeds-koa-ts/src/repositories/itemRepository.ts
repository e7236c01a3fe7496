import { db } from '../db.js';
import type { FeedItem } from '../types.js';

const bySourceSince = db.prepare(`
  SELECT i.id, i.source_id AS sourceId, s.name AS sourceName, i.url, i.title, i.summary, i.author,
         i.published_at AS publishedAt
  FROM items i JOIN sources s ON s.id = i.source_id
  WHERE i.source_id = ? AND i.published_at >= ?
  ORDER BY i.published_at DESC
`);

export function itemsForSourceSince(sourceId: number, since: string): FeedItem[] {
  return bySourceSince.all(sourceId, since) as FeedItem[];
}
