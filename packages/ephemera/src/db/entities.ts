// The archive's models. Plain classes on purpose: TypeORM builds one instance
// per row it loads (`new Ephemeron()` for every postcard), as Django builds one
// `Model` per row, so "rows loaded" and "objects constructed" are the same,
// countable thing a profiler sees. Mapping lives in ./schemas.ts (no decorators);
// ./model.ts is their base, whose constructor runs once per instance.

import { Model } from './model.js';

/** Where a group of postcards came from: a seller's eBay listings or a donation. */
export class Collection extends Model {
  id!: number;
  name!: string;
  source!: 'ebay' | 'donation';
  /** eBay seller username for `source: 'ebay'`, null for donations. */
  externalKey!: string | null;
  description!: string;
  createdAt!: string;
}

export class Person extends Model {
  id!: number;
  firstName!: string;
  lastName!: string;
  birthYear!: number | null;
}

export class Place extends Model {
  id!: number;
  name!: string;
  region!: string;
  country!: string;
  latitude!: number | null;
  longitude!: number | null;
}

export class Tag extends Model {
  id!: number;
  name!: string;
}

/**
 * A scanned side of an item. Its size variants are one URL template with a
 * `{w}` slot and a list of widths (smallest first), as image CDNs (eBay's
 * `s-l1600.jpg` included) name them; ./scan-variants.ts expands them.
 */
export class Scan extends Model {
  id!: number;
  ephemeronId!: number;
  side!: 'front' | 'back';
  urlTemplate!: string;
  /** Comma-separated widths in pixels, e.g. "200,400,800,1600". */
  widths!: string;
  /** Height / width of the original, when known. */
  aspect!: number | null;
  ephemeron?: Ephemeron;
}

/** One item of the archive: a postcard, a letter or a photo. */
export class Ephemeron extends Model {
  id!: number;
  title!: string;
  kind!: 'postcard' | 'letter' | 'photo';
  /** ISO date (YYYY-MM-DD) of the postmark, when legible. */
  postmarkDate!: string | null;
  postmarkPlaceId!: number | null;
  postmarkPlace?: Place | null;
  transcription!: string;
  senderId!: number | null;
  sender?: Person | null;
  recipientId!: number | null;
  recipient?: Person | null;
  collectionId!: number;
  collection?: Collection;
  /** eBay `itemId` for imported items; the import is idempotent on it. */
  ebayItemId!: string | null;
  createdAt!: string;
  people?: Person[];
  places?: Place[];
  tags?: Tag[];
  scans?: Scan[];
}

/** A page view of an item, with the page that linked to it. */
export class EphemeronView extends Model {
  id!: number;
  ephemeronId!: number;
  referrer!: string | null;
  viewedAt!: string;
}
