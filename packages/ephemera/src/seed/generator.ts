// Generates the archive as rows (pure, deterministic). Rows are plain arrays in
// the column order of ./row-types.ts, the cheapest shape for bulk inserts.
import { SEED_WIDTHS } from '../db/scan-variants.js';
import { streamFor } from './random.js';
import type { ArchiveSize, EphemeraBatch, Row } from './row-types.js';
import {
  CLOSINGS,
  FIRST_NAMES,
  GREETINGS,
  MIDDLES,
  OPENINGS,
  PLACES,
  SELLER_WORDS,
  SURNAMES,
  TAGS,
  VIEWS,
} from './words.js';

const CARDS_PER_COLLECTION = 1000;
const SEED_EPOCH = Date.UTC(2023, 0, 1);

export function archiveSize(count: number): ArchiveSize {
  return {
    ephemera: count,
    people: Math.max(10, Math.ceil(count / 3)),
    places: PLACES.length,
    tags: TAGS.length,
    collections: Math.max(1, Math.ceil(count / CARDS_PER_COLLECTION)),
  };
}

function isoAt(offsetSeconds: number): string {
  return new Date(SEED_EPOCH + offsetSeconds * 1000).toISOString();
}

function isEbayCollection(id: number): boolean {
  return id % 10 < 7;
}

export function collectionRows(size: ArchiveSize): Row[] {
  const rows: Row[] = [];
  for (let id = 1; id <= size.collections; id++) {
    const r = streamFor(id, 11);
    if (isEbayCollection(id)) {
      const seller = `${r.pick(SELLER_WORDS)}_${r.pick(SELLER_WORDS)}_${id}`;
      rows.push([id, `eBay: ${seller}`, 'ebay', seller, `Listings imported from eBay seller ${seller}.`, isoAt(id)]);
    } else {
      const family = r.pick(SURNAMES);
      const text = `Family papers of the ${family} family, donated by a descendant.`;
      rows.push([id, `Donation of the ${family} family`, 'donation', null, text, isoAt(id)]);
    }
  }
  return rows;
}

export function personRows(size: ArchiveSize): Row[] {
  const rows: Row[] = [];
  for (let id = 1; id <= size.people; id++) {
    const r = streamFor(id, 12);
    rows.push([id, r.pick(FIRST_NAMES), r.pick(SURNAMES), r.chance(0.6) ? r.int(1840, 1910) : null]);
  }
  return rows;
}

export function placeRows(): Row[] {
  return PLACES.map(([name, region, country, lat, lon], i) => [i + 1, name, region, country, lat, lon]);
}

export function tagRows(): Row[] {
  return TAGS.map((name, i) => [i + 1, name]);
}

/** Full names are needed in transcriptions: a person's name is a function of its id. */
function personName(id: number): [string, string] {
  const r = streamFor(id, 12);
  return [r.pick(FIRST_NAMES), r.pick(SURNAMES)];
}

function postmarkDate(r: ReturnType<typeof streamFor>): string | null {
  if (r.chance(0.1)) return null;
  // The golden age of postcards (1905–1915) dominates, with a long tail.
  const year = r.chance(0.7) ? r.int(1905, 1915) : r.int(1898, 1955);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${year}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;
}

/** Rows for ephemera [from, to] (inclusive), one batch. */
export function ephemeraBatch(size: ArchiveSize, from: number, to: number): EphemeraBatch {
  const batch: EphemeraBatch = { ephemera: [], scans: [], people: [], places: [], tags: [] };
  for (let id = from; id <= to; id++) {
    const r = streamFor(id, 13);
    const placeId = r.int(1, size.places);
    const place = PLACES[placeId - 1] ?? PLACES[0]!;
    const senderId = r.int(1, size.people);
    const recipientId = r.int(1, size.people);
    const mentioned = new Set<number>();
    for (let n = r.int(0, 3); n > 0; n--) mentioned.add(r.int(1, size.people));
    const otherPlaceId = r.int(1, size.places);
    const otherPlace = PLACES[otherPlaceId - 1] ?? place;
    const [senderFirst, senderLast] = personName(senderId);
    const [recipientFirst, recipientLast] = personName(recipientId);
    const mentionNames = [...mentioned].map((p) => personName(p).join(' '));
    const fill = (text: string) =>
      text
        .replace('{place}', place[0])
        .replace('{place2}', otherPlace[0])
        .replace('{mention}', mentionNames[0] ?? `${senderFirst}\u2019s sister`);
    const transcription = [
      `${r.pick(GREETINGS)} ${recipientFirst},`,
      fill(r.pick(OPENINGS)),
      fill(r.pick(MIDDLES)),
      mentionNames.length > 1 ? `Regards from ${mentionNames.slice(1).join(' and ')}.` : '',
      `${r.pick(CLOSINGS)} ${senderFirst} ${senderLast}`,
      `To: ${recipientFirst} ${recipientLast}, ${otherPlace[0]}, ${otherPlace[1]}.`,
    ]
      .filter((line) => line !== '')
      .join('\n');
    const kind = r.chance(0.85) ? 'postcard' : r.chance(0.5) ? 'letter' : 'photo';
    const collectionId = Math.min(size.collections, Math.floor((id - 1) / CARDS_PER_COLLECTION) + 1);
    const ebayItemId = isEbayCollection(collectionId) ? `v1|${110000000000 + id}|0` : null;
    const title = `${r.pick(VIEWS)}, ${place[0]}, ${place[1]}`;
    batch.ephemera.push([
      id,
      title,
      kind,
      postmarkDate(r),
      placeId,
      transcription,
      senderId,
      recipientId,
      collectionId,
      ebayItemId,
      isoAt(3600 + id),
    ]);
    const widths = SEED_WIDTHS.join(',');
    batch.scans.push([2 * id - 1, id, 'front', `/media/ephemera/${id}/front-{w}.jpg`, widths, 0.64]);
    batch.scans.push([2 * id, id, 'back', `/media/ephemera/${id}/back-{w}.jpg`, widths, 0.64]);
    for (const personId of mentioned) batch.people.push([id, personId]);
    batch.places.push([id, placeId]);
    if (otherPlaceId !== placeId) batch.places.push([id, otherPlaceId]);
    const tagIds = new Set<number>([r.int(1, size.tags), r.int(1, size.tags)]);
    for (const tagId of tagIds) batch.tags.push([id, tagId]);
  }
  return batch;
}
