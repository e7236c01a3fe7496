/**
 * How many items the measured callback's response carried, from what the
 * callback returned: a light-my-request / Fastify `inject` response (its
 * payload), a supertest response (its parsed body), a JSON string, or the
 * parsed data itself. A fetch `Response` body can be read once only, so the
 * callback returns `await res.json()` instead. Pure.
 */
import { countItems, countJsonItems } from '../../probe/json-items.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Items in the returned value; undefined when it carries no countable body. */
export function itemsOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return countJsonItems(value)?.items;
  if (!isObject(value)) return undefined;
  if (typeof Response !== 'undefined' && value instanceof Response) return undefined; // body unread: unknown
  const isResponse = 'statusCode' in value || 'status' in value;
  if (isResponse) {
    if (typeof value.payload === 'string') return countJsonItems(value.payload)?.items; // inject
    if (isObject(value.body) && !Buffer.isBuffer(value.body)) return countItems(value.body).items; // supertest
    if (typeof value.text === 'string') return countJsonItems(value.text)?.items;
    if (typeof value.body === 'string') return countJsonItems(value.body)?.items;
    return undefined;
  }
  return countItems(value).items;
}
