import { CAPTURE_SCHEMA, type Capture } from '../capture/types.js';
import { CulpritError } from '../errors/culprit-error.js';
import { checkCaptureParts } from './check-capture-parts.js';

/**
 * Narrows parsed JSON to a Capture, checking what the viewer relies on (the
 * schema version, arrays where arrays are expected, call-tree indices in
 * range) so a bad file fails here in one line instead of as a blank page.
 */
export function validateCapture(value: unknown, source: string): Capture {
  const fail = (what: string): never => {
    throw new CulpritError('CULPRIT_E_BAD_CAPTURE', `${source}: ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`not a culprit capture (expected a JSON object with "schema": "${CAPTURE_SCHEMA}")`);
  }
  const record = value as Record<string, unknown>;
  const schema = record.schema;
  if (typeof schema !== 'string') {
    return fail(`not a culprit capture (no "schema" field; expected "${CAPTURE_SCHEMA}")`);
  }
  if (schema !== CAPTURE_SCHEMA) {
    return fail(`unsupported capture schema "${schema.slice(0, 60)}"; this culprit reads "${CAPTURE_SCHEMA}"`);
  }
  if (!Array.isArray(record.requests)) fail('"requests" must be an array');
  checkProfile(record.profile, fail);
  for (const key of ['findings', 'notes', 'logs', 'stops'] as const) {
    if (record[key] !== undefined && !Array.isArray(record[key])) fail(`"${key}" must be an array when present`);
  }
  checkCaptureParts(record, fail);
  return value as Capture;
}

function checkProfile(profile: unknown, fail: (what: string) => never): void {
  if (profile === undefined) return;
  if (typeof profile !== 'object' || profile === null) fail('"profile" must be an object');
  const { functions, nodes } = profile as Record<string, unknown>;
  if (!Array.isArray(functions) || !Array.isArray(nodes)) fail('"profile" needs "functions" and "nodes" arrays');
  const fnCount = (functions as unknown[]).length;
  (nodes as unknown[]).forEach((node, index) => {
    if (typeof node !== 'object' || node === null) fail(`profile.nodes[${index}] is not an object`);
    const { fn, parent, totalMs, selfMs } = node as Record<string, unknown>;
    if (typeof fn !== 'number' || !Number.isInteger(fn) || fn < 0 || fn >= fnCount) {
      fail(`profile.nodes[${index}].fn must index profile.functions (0..${fnCount - 1})`);
    }
    const parentOk = index === 0 ? parent === -1 : typeof parent === 'number' && parent >= 0 && parent < index;
    if (!parentOk) fail(`profile.nodes[${index}].parent must be -1 for the root, else an earlier node's index`);
    if (typeof totalMs !== 'number' || typeof selfMs !== 'number') {
      fail(`profile.nodes[${index}] needs numeric "totalMs" and "selfMs"`);
    }
  });
}
