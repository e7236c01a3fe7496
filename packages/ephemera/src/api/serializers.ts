// The archive's serializers: what the API shows of each model.
import { Collection, Ephemeron, Person, Place, type Scan, Tag } from '../db/entities.js';
import { pickVariant, scanVariants } from '../db/scan-variants.js';
import type { Json } from './errors.js';
import { FlexSerializer, type SerializerContext, type SerializerMeta } from './serializer.js';

export const personMeta: SerializerMeta<Person> = {
  model: Person,
  fields: {
    id: (p) => p.id,
    first_name: (p) => p.firstName,
    last_name: (p) => p.lastName,
    full_name: (p) => `${p.firstName} ${p.lastName}`,
    birth_year: (p) => p.birthYear,
  },
  expandable: {},
};

export const placeMeta: SerializerMeta<Place> = {
  model: Place,
  fields: {
    id: (p) => p.id,
    name: (p) => p.name,
    region: (p) => p.region,
    country: (p) => p.country,
    latitude: (p) => p.latitude,
    longitude: (p) => p.longitude,
  },
  expandable: {},
};

export const tagMeta: SerializerMeta<Tag> = {
  model: Tag,
  fields: { id: (t) => t.id, name: (t) => t.name },
  expandable: {},
};

export const collectionMeta: SerializerMeta<Collection> = {
  model: Collection,
  fields: {
    id: (c) => c.id,
    name: (c) => c.name,
    source: (c) => c.source,
    seller: (c) => (c.source === 'ebay' ? c.externalKey : null),
    description: (c) => c.description,
    created_at: (c) => c.createdAt,
  },
  expandable: {},
};

function nested<R>(meta: SerializerMeta<R>, instance: R | null | undefined, context: SerializerContext): Json {
  return instance ? new FlexSerializer(meta, instance, undefined, context).data : null;
}

function nestedMany<R>(meta: SerializerMeta<R>, instances: R[] | undefined, context: SerializerContext): Json {
  return (instances ?? []).map((instance) => new FlexSerializer(meta, instance, undefined, context).data);
}

function ids(items: { id: number }[] | undefined): Json {
  return (items ?? []).map((item) => item.id).sort((a, b) => a - b);
}

function image(scans: Scan[] | undefined, side: Scan['side'], context: SerializerContext): Json {
  const scan = scans?.find((s) => s.side === side);
  if (!scan) return null;
  const variant = pickVariant(scan, context.img);
  return { url: variant.url, width: variant.width, height: variant.height, sizes: scanVariants(scan).length };
}

export const ephemeronMeta: SerializerMeta<Ephemeron> = {
  model: Ephemeron,
  fields: {
    id: (e) => e.id,
    url: (e) => `/ephemera/${e.id}/`,
    title: (e) => e.title,
    kind: (e) => e.kind,
    postmark_date: (e) => e.postmarkDate,
    front: (e, context) => image(e.scans, 'front', context),
    back: (e, context) => image(e.scans, 'back', context),
    transcription: (e) => e.transcription,
    ebay_item_id: (e) => e.ebayItemId,
    created_at: (e) => e.createdAt,
  },
  expandable: {
    postmark_place: { id: (e) => e.postmarkPlaceId, expand: (e, c) => nested(placeMeta, e.postmarkPlace, c) },
    sender: { id: (e) => e.senderId, expand: (e, c) => nested(personMeta, e.sender, c) },
    recipient: { id: (e) => e.recipientId, expand: (e, c) => nested(personMeta, e.recipient, c) },
    people: { id: (e) => ids(e.people), expand: (e, c) => nestedMany(personMeta, e.people, c) },
    places: { id: (e) => ids(e.places), expand: (e, c) => nestedMany(placeMeta, e.places, c) },
    tags: { id: (e) => ids(e.tags), expand: (e, c) => nestedMany(tagMeta, e.tags, c) },
    collection: { id: (e) => e.collectionId, expand: (e, c) => nested(collectionMeta, e.collection, c) },
  },
};
