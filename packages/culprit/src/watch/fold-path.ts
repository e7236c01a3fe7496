/**
 * A request path → a route template when no router said which route it
 * matched (a bare listener, a Hono handler that never reads `c.req`, a 404): segments that look like ids become
 * placeholders, so `/users/17` and `/users/18` count as one route. Pure.
 */

const RULES: ReadonlyArray<[RegExp, string]> = [
  [/^\d+$/, ':id'],
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, ':uuid'],
  // Mongo ObjectIds, hashes, hex digests
  [/^[0-9a-f]{12,}$/i, ':hash'],
  // opaque tokens: long, letters and digits mixed (slugs such as 'postcards-2024' keep their words)
  [/^(?=.*\d)(?=.*[a-z])[0-9a-z_-]{16,}$/i, ':token'],
];

function foldSegment(segment: string): string {
  if (segment === '') return segment;
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // a malformed escape: fold it as written
  }
  for (const [pattern, placeholder] of RULES) if (pattern.test(decoded)) return placeholder;
  return segment;
}

/** `/api/ephemera/13373/?img=2` → `/api/ephemera/:id/` (the query is dropped: values may be secrets). */
export function foldPath(url: string): string {
  const path = url.split(/[?#]/, 1)[0] || '/';
  return path.split('/').map(foldSegment).join('/');
}
