/**
 * The collection a JSON body carries, the figure that tells "this endpoint
 * returned 20,000 rows" or "this page had 100 articles". Responses wrap their
 * list in many ways (`[…]`, `{results: […]}`, `{articles: […], articlesCount}`,
 * `{data: {items: […]}, meta}`), so no fixed key list holds: the largest array
 * within two levels of the top is the collection. A lone entity (an object
 * with an identity key, whatever arrays it holds, such as a post with its
 * comments) counts as one item. A GraphQL response's `data` (beside only
 * `errors` and `extensions`) is an envelope of its own: the two levels are
 * counted below it, where a schema that groups its fields by namespace keeps
 * the list (`data.pages.list`). An object keyed by ids (`{"17": […], "18": […]}`,
 * a list grouped by its parent's id, or records by their id) is a collection
 * too: of its records, or of the lists' items when each id holds a list.
 */

export interface ItemCount {
  items: number;
  /** Where the collection sits (`articles`, `data.items`); absent for a top-level array or a lone object. */
  path?: string;
}

/** Keys that make an object one record rather than an envelope around a list. */
const IDENTITY_KEYS = ['id', '_id', 'uuid', 'pk', 'slug', 'sku'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntity(value: Record<string, unknown>): boolean {
  return IDENTITY_KEYS.some((key) => key in value && !Array.isArray(value[key]) && !isRecord(value[key]));
}

/** A key that is a record's id: a number or a UUID, never a field name. */
const ID_KEY = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Items of an object keyed by ids, all records or all lists (two keys at least); undefined for any other object. */
function idKeyedItems(value: Record<string, unknown>): number | undefined {
  const keys = Object.keys(value);
  if (keys.length < 2 || !keys.every((key) => ID_KEY.test(key))) return undefined;
  const values = Object.values(value);
  if (values.every(Array.isArray)) return values.reduce((sum, list) => sum + list.length, 0);
  return values.every(isRecord) ? keys.length : undefined;
}

/** The keys a GraphQL response may have at its top (the spec's response format). */
const GRAPHQL_KEYS = new Set(['data', 'errors', 'extensions']);

/** Items in a parsed JSON value. */
export function countItems(value: unknown): ItemCount {
  if (isRecord(value) && isRecord(value.data) && Object.keys(value).every((key) => GRAPHQL_KEYS.has(key))) {
    const inner = countItems(value.data);
    return inner.path === undefined ? inner : { items: inner.items, path: `data.${inner.path}` };
  }
  if (Array.isArray(value)) return { items: value.length };
  if (!isRecord(value) || isEntity(value)) return { items: 1 };
  const keyed = idKeyedItems(value);
  if (keyed !== undefined) return { items: keyed };
  let best: ItemCount | undefined;
  const consider = (path: string, items: number): void => {
    if (!best || items > best.items) best = { items, path };
  };
  for (const [key, child] of Object.entries(value)) {
    if (Array.isArray(child)) consider(key, child.length);
    else if (isRecord(child) && !isEntity(child)) {
      const inKeyed = idKeyedItems(child);
      if (inKeyed !== undefined) {
        consider(key, inKeyed);
        continue;
      }
      for (const [innerKey, inner] of Object.entries(child)) {
        if (Array.isArray(inner)) consider(`${key}.${innerKey}`, inner.length);
      }
    }
  }
  return best ?? { items: 1 };
}

/** Items in a JSON body's text; undefined when it is not JSON. */
export function countJsonItems(text: string): ItemCount | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // not JSON (or truncated): no item count, by definition
  }
  return countItems(value);
}
