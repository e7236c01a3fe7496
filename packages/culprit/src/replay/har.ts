/**
 * HAR 1.2 files (a browser's DevTools "Save all as HAR"): each entry's
 * request method, URL path and query, headers and body, at its
 * `startedDateTime`. Headers that belong to the recorded connection (Host,
 * HTTP/2 pseudo-headers, lengths, encodings) are dropped; the rest are sent. Pure.
 */

import { sortByTime } from './access-log.js';
import type { ReplayEntry, ReplayFile } from './entry.js';

const DROPPED = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'accept-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** True when `text` parses as JSON with `log.entries` (an array). */
export function looksLikeHar(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) && isObject(value.log) && Array.isArray(value.log.entries);
  } catch {
    return false;
  }
}

function entryOf(raw: unknown): (ReplayEntry & { at: number }) | undefined {
  if (!isObject(raw) || !isObject(raw.request)) return undefined;
  const { method, url, headers, postData } = raw.request;
  if (typeof method !== 'string' || typeof url !== 'string') return undefined;
  let path: string;
  try {
    const parsed = new URL(url);
    path = `${parsed.pathname}${parsed.search}`;
  } catch {
    return undefined;
  }
  const at = typeof raw.startedDateTime === 'string' ? Date.parse(raw.startedDateTime) : Number.NaN;
  const entry: ReplayEntry & { at: number } = {
    at: Number.isNaN(at) ? 0 : at,
    atMs: 0,
    method: method.toUpperCase(),
    path,
  };
  if (Array.isArray(headers)) {
    const kept: Record<string, string> = {};
    for (const h of headers) {
      if (!isObject(h) || typeof h.name !== 'string' || typeof h.value !== 'string') continue;
      const name = h.name.toLowerCase();
      if (name.startsWith(':') || DROPPED.has(name)) continue;
      kept[name] = h.value;
    }
    if (Object.keys(kept).length) entry.headers = kept;
  }
  if (isObject(postData) && typeof postData.text === 'string') {
    entry.body = postData.text;
    if (typeof postData.mimeType === 'string' && !entry.headers?.['content-type'])
      entry.headers = { ...entry.headers, 'content-type': postData.mimeType };
  }
  return entry;
}

export function parseHar(text: string): ReplayFile {
  const value = JSON.parse(text) as { log: { entries: unknown[] } };
  const entries: ReplayEntry[] = [];
  let unreadable = 0;
  for (const raw of value.log.entries) {
    const entry = entryOf(raw);
    if (!entry) {
      unreadable++;
      continue;
    }
    const { at, ...rest } = entry;
    entries.push({ ...rest, atMs: at });
  }
  return { format: 'har', entries: sortByTime(entries), unreadable };
}
