// POST /api/imports/ebay: writes a validated feed into its sellers'
// collections in one transaction. Idempotent on itemId: a known item is
// updated when its listing changed and skipped otherwise.
import type { DataSource, EntityManager } from 'typeorm';
import { Collection, Ephemeron, Scan } from '../db/entities.js';
import { type FeedItem, scanFromImageUrl } from './ebay-feed.js';

export interface ImportCounts {
  created: number;
  updated: number;
  skipped: number;
}

async function sellerCollection(manager: EntityManager, seller: string): Promise<Collection> {
  const repository = manager.getRepository(Collection);
  const existing = await repository.findOneBy({ source: 'ebay', externalKey: seller });
  if (existing) return existing;
  const collection = new Collection();
  collection.name = `eBay: ${seller}`;
  collection.source = 'ebay';
  collection.externalKey = seller;
  collection.description = `Listings imported from eBay seller ${seller}.`;
  collection.createdAt = new Date().toISOString();
  return repository.save(collection);
}

function transcriptionOf(item: FeedItem): string {
  return [item.shortDescription, item.location ? `Listed from ${item.location}.` : ''].filter(Boolean).join('\n');
}

async function writeScans(manager: EntityManager, ephemeronId: number, item: FeedItem): Promise<void> {
  await manager.getRepository(Scan).delete({ ephemeronId });
  const sides = ['front', 'back'] as const;
  for (const [i, side] of sides.entries()) {
    const url = item.imageUrls[i];
    if (url === undefined) continue;
    const scan = new Scan();
    scan.ephemeronId = ephemeronId;
    scan.side = side;
    Object.assign(scan, scanFromImageUrl(url));
    scan.aspect = null;
    await manager.getRepository(Scan).insert(scan);
  }
}

export async function importFeed(dataSource: DataSource, items: FeedItem[]): Promise<ImportCounts> {
  return dataSource.transaction(async (manager) => {
    const counts: ImportCounts = { created: 0, updated: 0, skipped: 0 };
    const ephemera = manager.getRepository(Ephemeron);
    for (const item of items) {
      const collection = await sellerCollection(manager, item.seller);
      const transcription = transcriptionOf(item);
      const existing = await ephemera.findOneBy({ ebayItemId: item.itemId });
      if (existing) {
        if (
          existing.title === item.title &&
          existing.transcription === transcription &&
          existing.collectionId === collection.id
        ) {
          counts.skipped++;
          continue;
        }
        await ephemera.update({ id: existing.id }, { title: item.title, transcription, collectionId: collection.id });
        await writeScans(manager, existing.id, item);
        counts.updated++;
        continue;
      }
      const created = await ephemera.insert({
        title: item.title,
        kind: 'postcard',
        postmarkDate: null,
        postmarkPlaceId: null,
        transcription,
        senderId: null,
        recipientId: null,
        collectionId: collection.id,
        ebayItemId: item.itemId,
        createdAt: new Date().toISOString(),
      });
      const id: unknown = created.identifiers[0]?.id;
      if (typeof id !== 'number') throw new Error('import: the database returned no id for a new item');
      await writeScans(manager, id, item);
      counts.created++;
    }
    return counts;
  });
}
