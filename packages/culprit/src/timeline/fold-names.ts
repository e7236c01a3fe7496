/**
 * Ids folded out of outbound URLs and Redis keys, so the calls of one
 * endpoint or one key pattern group (`/users/:id`, `user:?:profile`) the way
 * normalized SQL does. Pure.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^[0-9a-f]{8,}$/i;
const NUMBER = /^-?\d+(\.\d+)?$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
/** A kind prefix and a serial number: `u701`, `c-1001`, `ord_42`, `item-42` (one digit is a version: `v2`, `oauth2`). */
const PREFIXED_SERIAL = /^[a-z]+[-_]?\d{2,}$/i;

/** A segment that names one record rather than a kind of thing. */
export function isIdSegment(segment: string): boolean {
  if (segment === '') return false;
  if (NUMBER.test(segment) || UUID.test(segment) || EMAIL.test(segment) || PREFIXED_SERIAL.test(segment)) return true;
  if (HEX_ID.test(segment) && /\d/.test(segment)) return true;
  // slugs with a number (`item-42`, `a1b2c3d4e5`) and opaque tokens
  return segment.length >= 8 && /\d/.test(segment) && /[a-z]/i.test(segment) && !/^v\d+$/i.test(segment);
}

/** `/users/42/orders?x=1` → `/users/:id/orders` (query left out: its values vary). */
export function pathTemplate(url: string): string {
  const path = url.split(/[?#]/)[0] ?? '';
  return path
    .split('/')
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // a malformed escape is judged as written
      }
      return isIdSegment(decoded) ? ':id' : segment;
    })
    .join('/');
}

/** `user:42:profile` → `user:?:profile`; separators `:`, `/`, `.`, `#`, `|` are kept. */
export function keyShape(key: string): string {
  return key
    .split(/([:/.#|])/)
    .map((part, i) => (i % 2 === 0 && isIdSegment(part) ? '?' : part))
    .join('');
}
