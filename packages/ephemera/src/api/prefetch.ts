// prefetch_related for the archive: to-many relations of a set of items are
// loaded with one query per relation instead of joined into the main query.
// Three many-to-many joins multiply rows (scans × people × places × tags),
// which made a page of 20 search results cost ~10 ms in SQLite alone.
import type { DataSource, ObjectLiteral } from 'typeorm';
import { type Ephemeron, Person, Place, Scan, Tag } from '../db/entities.js';

async function prefetchManyToMany<R extends ObjectLiteral & { id: number }>(
  dataSource: DataSource,
  items: Ephemeron[],
  target: new () => R,
  link: { table: string; column: string },
): Promise<Map<number, R[]>> {
  const ids = items.map((item) => item.id);
  const { raw, entities } = await dataSource
    .getRepository(target)
    .createQueryBuilder('related')
    .innerJoin(link.table, 'link', `link.${link.column} = related.id`)
    .addSelect('link.ephemeron_id', 'link_ephemeron_id')
    .where('link.ephemeron_id IN (:...ids)', { ids })
    .orderBy('related.id', 'ASC')
    .getRawAndEntities();
  const byId = new Map(entities.map((entity) => [entity.id, entity]));
  const byItem = new Map<number, R[]>();
  for (const row of raw as Array<Record<string, unknown>>) {
    const related = byId.get(Number(row.related_id));
    const itemId = Number(row.link_ephemeron_id);
    if (!related) continue;
    const list = byItem.get(itemId) ?? [];
    list.push(related);
    byItem.set(itemId, list);
  }
  return byItem;
}

/** Fills scans, people, places and tags of `items` (4 queries, whatever their number). */
export async function prefetchEphemeronRelations(dataSource: DataSource, items: Ephemeron[]): Promise<void> {
  if (items.length === 0) return;
  const ids = items.map((item) => item.id);
  const [scans, people, places, tags] = await Promise.all([
    dataSource.getRepository(Scan).createQueryBuilder('scan').where('scan.ephemeronId IN (:...ids)', { ids }).getMany(),
    prefetchManyToMany(dataSource, items, Person, { table: 'ephemeron_person', column: 'person_id' }),
    prefetchManyToMany(dataSource, items, Place, { table: 'ephemeron_place', column: 'place_id' }),
    prefetchManyToMany(dataSource, items, Tag, { table: 'ephemeron_tag', column: 'tag_id' }),
  ]);
  for (const item of items) {
    item.scans = scans.filter((scan) => scan.ephemeronId === item.id);
    item.people = people.get(item.id) ?? [];
    item.places = places.get(item.id) ?? [];
    item.tags = tags.get(item.id) ?? [];
  }
}
