// The archive's viewsets. EphemeronViewSet is the one the story is about.
import { Collection, Ephemeron, EphemeronView, Person, Place } from '../db/entities.js';
import { SEED_WIDTHS } from '../db/scan-variants.js';
import type { Json } from './errors.js';
import { parseIntInRange } from './params.js';
import { prefetchEphemeronRelations } from './prefetch.js';
import { QuerySet } from './queryset.js';
import { parseSearchFilters, searchEphemera } from './search.js';
import type { SerializerContext } from './serializer.js';
import { collectionMeta, ephemeronMeta, personMeta, placeMeta } from './serializers.js';
import { ModelViewSet } from './viewset.js';

export class EphemeronViewSet extends ModelViewSet<Ephemeron> {
  readonly queryset = new QuerySet(Ephemeron, this.deps.dataSource);
  readonly serializerMeta = ephemeronMeta;
  readonly modelLabel = 'ephemeron';

  /**
   * Everything the serializer may show: to-one relations joined
   * (select_related), to-many ones fetched per relation (prefetch_related).
   */
  override getQueryset(): QuerySet<Ephemeron> {
    return this.queryset
      .refine((q) =>
        q
          .leftJoinAndSelect('ephemeron.postmarkPlace', 'postmarkPlace')
          .leftJoinAndSelect('ephemeron.sender', 'sender')
          .leftJoinAndSelect('ephemeron.recipient', 'recipient')
          .leftJoinAndSelect('ephemeron.collection', 'collection'),
      )
      .prefetchRelated(prefetchEphemeronRelations);
  }

  override getSerializerContext(): SerializerContext {
    return { img: parseIntInRange('img', this.request.query.one('img'), 1, 0, SEED_WIDTHS.length - 1) };
  }

  /** Every retrieve is a page view; `referrer` says which page linked to it. */
  override async performRetrieve(instance: Ephemeron): Promise<void> {
    const referrer = this.request.query.one('referrer') ?? null;
    const view = new EphemeronView();
    view.ephemeronId = instance.id;
    view.referrer = referrer === null ? null : referrer.slice(0, 500);
    view.viewedAt = new Date().toISOString();
    await this.deps.dataSource.getRepository(EphemeronView).insert(view);
  }

  /** Search and filters, paginated, with the total count. */
  async list(): Promise<Json> {
    const options = this.getFlexOptions();
    this.getSerializerContext(); // parsed early: a bad `img` is a 400 before any query runs
    const filters = parseSearchFilters(this.request.query);
    const { total, ids } = await searchEphemera(this.deps.dataSource, filters);
    const found =
      ids.length === 0
        ? []
        : await this.getQueryset()
            .refine((q) => q.whereInIds(ids))
            .all();
    const byId = new Map(found.map((e) => [e.id, e]));
    const results: Json[] = [];
    for (const id of ids) {
      const instance = byId.get(id);
      if (instance) results.push((await this.getSerializer(instance, options)).data);
    }
    return { count: total, page: filters.page, page_size: filters.pageSize, results };
  }
}

export class PersonViewSet extends ModelViewSet<Person> {
  readonly queryset = new QuerySet(Person, this.deps.dataSource);
  readonly serializerMeta = personMeta;
  readonly modelLabel = 'person';
}

export class PlaceViewSet extends ModelViewSet<Place> {
  readonly queryset = new QuerySet(Place, this.deps.dataSource);
  readonly serializerMeta = placeMeta;
  readonly modelLabel = 'place';
}

export class CollectionViewSet extends ModelViewSet<Collection> {
  readonly queryset = new QuerySet(Collection, this.deps.dataSource);
  readonly serializerMeta = collectionMeta;
  readonly modelLabel = 'collection';

  override async retrieve(): Promise<Json> {
    const data = await super.retrieve();
    const id = Number(this.request.params.id);
    const count = await new QuerySet(Ephemeron, this.deps.dataSource)
      .refine((q) => q.where('ephemeron.collectionId = :id', { id }))
      .count();
    return { ...(data as Record<string, Json>), ephemera_count: count };
  }
}
