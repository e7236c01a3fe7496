import type { LoadOptions } from '../options.js';

/** Load options for tests: hey's defaults for one GET, overridden where a test cares. */
export function loadOptions(overrides: Partial<LoadOptions> = {}): LoadOptions {
  return {
    url: 'http://127.0.0.1:3000/',
    requests: 10,
    durationMs: undefined,
    concurrency: 1,
    rate: undefined,
    timeoutMs: 0,
    method: 'GET',
    headers: [],
    body: undefined,
    keepAlive: true,
    followRedirects: true,
    ...overrides,
  };
}
