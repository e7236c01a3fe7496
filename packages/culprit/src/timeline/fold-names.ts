/**
 * Ids folded out of outbound URLs and Redis keys, so the calls of one
 * endpoint or one key pattern group (`/users/:id`, `user:?:profile`) the way
 * normalized SQL does. Pure.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^[0-9a-f]{8,}$/i;
const NUMBER = /^-?\d+(\.\d+)?$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
/** A day (`2026-12-01`): one value of a date, as an id is one of a record. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * A moment written in full (`2026-12-01T02:55:01.665Z`): its `:` and `.` would split it into parts that
 * are no ids on their own (`665Z`), so it is folded whole before the key is split.
 */
const MOMENT = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;
/** A kind prefix and a serial number: `u701`, `c-1001`, `ord_42`, `item-42` (one digit is a version: `v2`, `oauth2`). */
const PREFIXED_SERIAL = /^[a-z]+[-_]?\d{2,}$/i;

/** A segment that names one record rather than a kind of thing. */
export function isIdSegment(segment: string): boolean {
  if (segment === '') return false;
  if (NUMBER.test(segment) || UUID.test(segment) || EMAIL.test(segment) || PREFIXED_SERIAL.test(segment)) return true;
  if (DAY.test(segment)) return true;
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
    .replace(MOMENT, '?')
    .split(/([:/.#|])/)
    .map((part, i) => (i % 2 === 0 && isIdSegment(part) ? '?' : part))
    .join('');
}
