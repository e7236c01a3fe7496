import { activeSources } from '../repositories/sourceRepository.js';
import { itemsForSourceSince } from '../repositories/itemRepository.js';
import type { FeedItem } from '../types.js';

const WINDOW_DAYS = Number(process.env.FEED_WINDOW_DAYS ?? 14);

export interface FeedPage {
  generatedAt: string;
  sources: number;
  items: FeedItem[];
}

function windowStart(now: Date): string {
  return new Date(now.getTime() - WINDOW_DAYS * 24 * 3600 * 1000).toISOString();
}

function canonicalUrl(raw: string): string {
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

function mergeSources(batches: FeedItem[][]): FeedItem[] {
  const items = batches.flat().map((item) => ({ ...item, url: canonicalUrl(item.url) }));
  const unique = items.filter((x, i) => items.findIndex((y) => y.url === x.url) === i);
  return unique.sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0));
}

export function buildFeed(limit: number, category?: string): FeedPage {
  const now = new Date();
  const since = windowStart(now);
  const sources = activeSources().filter((s) => !category || s.category === category);
  const batches = sources.map((s) => itemsForSourceSince(s.id, since));
  const merged = mergeSources(batches);
  return { generatedAt: now.toISOString(), sources: sources.length, items: merged.slice(0, limit) };
}
