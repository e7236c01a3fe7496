/**
 * Shape checks for the parts of a capture that renderers walk (tool, target,
 * requests, queries, findings, notes): a crafted or truncated file fails in
 * one coded line naming the field, instead of as an internal error deep in a
 * renderer. Only what readers rely on is checked; unknown fields are allowed.
 */
type Fail = (what: string) => never;
type Kind = 'string' | 'number' | 'array' | 'object';

function isKind(value: unknown, kind: Kind): boolean {
  if (kind === 'array') return Array.isArray(value);
  if (kind === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === kind;
}

/** Fails unless `value` is an object whose listed fields have the listed kinds (`?` marks optional ones). */
function checkFields(value: unknown, where: string, fields: Record<string, Kind>, fail: Fail): Record<string, unknown> {
  if (!isKind(value, 'object')) fail(`${where} must be an object`);
  const record = value as Record<string, unknown>;
  for (const [key, kind] of Object.entries(fields)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const field = record[name];
    if (optional && field === undefined) continue;
    if (!isKind(field, kind))
      fail(`${where}.${name} must be ${kind === 'array' || kind === 'object' ? `an ${kind}` : `a ${kind}`}`);
  }
  return record;
}

const QUERY: Record<string, Kind> = { 'driver?': 'string', sql: 'string', durationMs: 'number' };
const REQUEST: Record<string, Kind> = {
  method: 'string',
  url: 'string',
  status: 'number',
  wallMs: 'number',
  'cpuMs?': 'number',
  'bytes?': 'number',
  queries: 'array',
  constructions: 'array',
  'foldedQueries?': 'array',
  'error?': 'string',
  'bodyHead?': 'string',
};
const FINDING: Record<string, Kind> = { rule: 'string', severity: 'string', title: 'string', evidence: 'array' };
const ROUTE: Record<string, Kind> = {
  method: 'string',
  route: 'string',
  count: 'number',
  errors: 'number',
  totalMs: 'number',
  latencyMs: 'object',
  example: 'object',
  series: 'array',
  'finding?': 'object',
};

/** Checks tool, target, requests (with their queries), findings and notes. */
export function checkCaptureParts(record: Record<string, unknown>, fail: Fail): void {
  checkFields(record.tool, 'tool', { command: 'string', 'version?': 'string' }, fail);
  checkFields(record.target, 'target', { mode: 'string' }, fail);
  for (const [i, request] of (record.requests as unknown[]).entries()) {
    const checked = checkFields(request, `requests[${i}]`, REQUEST, fail);
    for (const [j, query] of (checked.queries as unknown[]).entries()) {
      checkFields(query, `requests[${i}].queries[${j}]`, QUERY, fail);
    }
  }
  for (const [i, finding] of ((record.findings as unknown[] | undefined) ?? []).entries()) {
    checkFields(finding, `findings[${i}]`, FINDING, fail);
  }
  ((record.notes as unknown[] | undefined) ?? []).forEach((note, i) => {
    if (typeof note !== 'string') fail(`notes[${i}] must be a string`);
  });
  if (record.watch !== undefined) {
    const watch = checkFields(
      record.watch,
      'watch',
      { routes: 'array', requests: 'number', durationS: 'number' },
      fail,
    );
    for (const [i, route] of (watch.routes as unknown[]).entries()) {
      const checked = checkFields(route, `watch.routes[${i}]`, ROUTE, fail);
      checkFields(checked.example, `watch.routes[${i}].example`, { requestId: 'number', diagnose: 'string' }, fail);
      for (const [j, bucket] of (checked.series as unknown[]).entries())
        checkFields(
          bucket,
          `watch.routes[${i}].series[${j}]`,
          { t: 'number', count: 'number', meanMs: 'number', maxMs: 'number' },
          fail,
        );
    }
  }
}
