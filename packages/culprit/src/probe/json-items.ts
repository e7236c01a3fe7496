/**
 * Top-level items of a JSON body, the figure that tells "this endpoint
 * returned 20,000 rows": an object counts 1, an array its length, and a
 * paginated object (`results`, `data`, `items`) its list's length.
 */
const PAGE_KEYS = ['results', 'data', 'items'] as const;

/** Items in a parsed JSON value. */
export function countItems(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) {
    for (const key of PAGE_KEYS) {
      const list: unknown = (value as Record<string, unknown>)[key];
      if (Array.isArray(list)) return list.length;
    }
  }
  return 1;
}

/** Items in a JSON body's text; undefined when it is not JSON. */
export function countJsonItems(text: string): number | undefined {
  try {
    return countItems(JSON.parse(text));
  } catch {
    return undefined; // not JSON (or truncated): no item count, by definition
  }
}
