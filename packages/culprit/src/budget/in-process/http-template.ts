/**
 * A URL path as a template: segments that are ids (numbers, UUIDs, long hex
 * or mixed tokens) become `:id`, so `/users/17` and `/users/18` are one call
 * shape. Pure.
 */
const ID_SEGMENT =
  /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|(?=.*\d)[A-Za-z0-9_-]{20,})$/i;

export function pathTemplate(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '/';
  return bare
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
    .join('/');
}
