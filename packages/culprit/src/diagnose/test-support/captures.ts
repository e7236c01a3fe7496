/** Hand-made requests and captures for rule tests: what a trace would record, with only the fields a test sets. */
import {
  CAPTURE_SCHEMA,
  type Capture,
  type ProfileData,
  type ProfileFunction,
  type RequestRecord,
} from '../../capture/types.js';

/** A successful GET of one item, 200 ms, no queries: override what the case is about. */
export function request(overrides: Partial<RequestRecord>): RequestRecord {
  return {
    id: 1,
    method: 'GET',
    url: '/x',
    status: 200,
    wallMs: 200,
    cpuMs: 150,
    bytes: 500,
    items: 1,
    queries: [],
    constructions: [],
    ...overrides,
  };
}

export function capture(requests: RequestRecord[], profile?: ProfileData): Capture {
  return {
    schema: CAPTURE_SCHEMA,
    createdAt: '2026-11-29T00:00:00.000Z',
    tool: { name: 'culprit', version: '0.1.0', command: 'diagnose' },
    target: { mode: 'command' },
    requests,
    ...(profile ? { profile } : {}),
  };
}

/** A profile function row with no calls or time: pass what the case is about in `extra` (package, calls, totalMs). */
export function profileFunction(
  name: string,
  file: string,
  line: number,
  category: ProfileFunction['category'],
  extra: Partial<ProfileFunction> = {},
): ProfileFunction {
  return { name, file, line, column: 1, category, calls: null, selfMs: 0, totalMs: 0, ...extra };
}
