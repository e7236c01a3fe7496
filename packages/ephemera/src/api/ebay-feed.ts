// Validation of an eBay-style listing feed (pure): the shape of eBay Browse
// API search results, `{ itemSummaries: [{ itemId, title, image, seller, … }] }`.
// Every problem of every item is reported, so a seller fixes a feed in one go.
import { ApiError, type Json } from './errors.js';

export interface FeedItem {
  itemId: string;
  title: string;
  seller: string;
  imageUrls: string[];
  location: string | null;
  shortDescription: string;
}

export const MAX_FEED_ITEMS = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value.trim() : null;
}

function imageUrl(value: unknown): string | null {
  if (!isRecord(value) || typeof value.imageUrl !== 'string') return null;
  try {
    const url = new URL(value.imageUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null; // not a URL: reported by the caller as a problem of this item
  }
}

function parseItem(raw: unknown, problems: string[]): FeedItem | null {
  if (!isRecord(raw)) {
    problems.push('item is not an object');
    return null;
  }
  const itemId = text(raw.itemId, 100);
  if (itemId === null) problems.push('itemId: expected a non-empty string of at most 100 characters');
  const title = text(raw.title, 300);
  if (title === null) problems.push('title: expected a non-empty string of at most 300 characters');
  const seller = isRecord(raw.seller) ? text(raw.seller.username, 64) : null;
  if (seller === null) problems.push('seller.username: expected a non-empty string of at most 64 characters');
  const imageUrls: string[] = [];
  if (raw.image !== undefined) {
    const url = imageUrl(raw.image);
    if (url === null) problems.push('image.imageUrl: expected an http(s) URL');
    else imageUrls.push(url);
  }
  if (raw.additionalImages !== undefined) {
    if (!Array.isArray(raw.additionalImages)) problems.push('additionalImages: expected an array');
    else
      raw.additionalImages.forEach((image: unknown, i) => {
        const url = imageUrl(image);
        if (url === null) problems.push(`additionalImages[${i}].imageUrl: expected an http(s) URL`);
        else imageUrls.push(url);
      });
  }
  let shortDescription = '';
  if (raw.shortDescription !== undefined) {
    if (typeof raw.shortDescription !== 'string' || raw.shortDescription.length > 10_000) {
      problems.push('shortDescription: expected a string of at most 10,000 characters');
    } else shortDescription = raw.shortDescription;
  }
  const where = isRecord(raw.itemLocation) ? raw.itemLocation : {};
  const location = [where.city, where.stateOrProvince, where.country].filter((p) => typeof p === 'string').join(', ');
  if (itemId === null || title === null || seller === null || problems.length > 0) return null;
  return { itemId, title, seller, imageUrls, location: location || null, shortDescription };
}

/** The feed's items, or a 400 listing every bad item (index, itemId, problems). */
export function parseFeed(body: unknown): FeedItem[] {
  if (!isRecord(body) || !Array.isArray(body.itemSummaries)) {
    throw new ApiError(400, 'bad_feed', 'body: expected a JSON object with an "itemSummaries" array', 'body');
  }
  if (body.itemSummaries.length > MAX_FEED_ITEMS) {
    throw new ApiError(400, 'bad_feed', `itemSummaries: at most ${MAX_FEED_ITEMS} items per feed`, 'itemSummaries');
  }
  const items: FeedItem[] = [];
  const bad: Json[] = [];
  const seen = new Set<string>();
  body.itemSummaries.forEach((raw: unknown, index) => {
    const problems: string[] = [];
    const item = parseItem(raw, problems);
    const id = isRecord(raw) && typeof raw.itemId === 'string' ? raw.itemId : null;
    if (item && seen.has(item.itemId)) problems.push('itemId: appears more than once in this feed');
    if (item && problems.length === 0) {
      seen.add(item.itemId);
      items.push(item);
    } else bad.push({ index, itemId: id, problems });
  });
  if (bad.length > 0) {
    throw new ApiError(
      400,
      'bad_feed',
      `${bad.length} of ${body.itemSummaries.length} items are invalid; nothing was imported`,
      'itemSummaries',
      bad,
    );
  }
  return items;
}

/** eBay image URLs name their size (`s-l1600.jpg`): a template gives every size. */
export function scanFromImageUrl(url: string): { urlTemplate: string; widths: string } {
  const match = /\/s-l\d+\.(jpg|jpeg|png|webp)$/i.exec(url);
  if (!match) return { urlTemplate: url, widths: '' };
  return { urlTemplate: url.replace(/s-l\d+\./i, 's-l{w}.'), widths: '225,500,960,1600' };
}
