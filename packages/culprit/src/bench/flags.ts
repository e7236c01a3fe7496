import type { FlagSpec } from './tokenize.js';

/**
 * Every `culprit bench` flag, once: hey's spellings first (with hey's
 * meaning unless the help says otherwise), then long names. Help text and
 * the tokenizer are both generated from this table.
 */
export const benchFlags = {
  requests: { names: ['n', 'requests'], kind: 'string', value: 'N', help: 'number of requests to send (default 200)' },
  concurrency: {
    names: ['c', 'connections', 'concurrency'],
    kind: 'string',
    value: 'N',
    help: 'connections (workers) sending at once (default 50)',
  },
  rate: {
    names: ['q', 'rate'],
    kind: 'string',
    value: 'RPS',
    help: 'TOTAL requests/s over all connections, paced evenly (hey: per worker!); latency counted from each intended send time',
  },
  duration: {
    names: ['z', 'duration'],
    kind: 'string',
    value: 'DUR',
    help: 'run for this long (10s, 2m) instead of -n',
  },
  timeout: {
    names: ['t', 'timeout'],
    kind: 'string',
    value: 'SEC',
    help: 'per-request timeout in seconds, 0 = none (default 20)',
  },
  method: { names: ['m', 'method'], kind: 'string', value: 'METHOD', help: 'HTTP method (default GET)' },
  header: { names: ['H', 'header'], kind: 'list', value: '"Name: value"', help: 'add a request header (repeatable)' },
  accept: { names: ['A', 'accept'], kind: 'string', value: 'TYPE', help: 'Accept header' },
  data: { names: ['d', 'data'], kind: 'string', value: 'BODY', help: 'request body' },
  dataFile: { names: ['D', 'data-file'], kind: 'string', value: 'FILE', help: 'request body read from a file' },
  contentType: {
    names: ['T', 'content-type'],
    kind: 'string',
    value: 'TYPE',
    help: 'Content-Type (default text/html)',
  },
  auth: { names: ['a', 'auth'], kind: 'string', value: 'USER:PASS', help: 'basic authentication' },
  host: { names: ['host'], kind: 'string', value: 'HOST', help: 'Host header' },
  disableCompression: { names: ['disable-compression'], kind: 'boolean', help: 'do not send Accept-Encoding: gzip' },
  disableKeepalive: { names: ['disable-keepalive'], kind: 'boolean', help: 'a new connection for every request' },
  disableRedirects: { names: ['disable-redirects'], kind: 'boolean', help: 'do not follow 3xx redirects' },
  output: {
    names: ['o', 'output'],
    kind: 'string',
    value: 'csv',
    help: 'csv: one line per request instead of the report',
  },
  warmup: {
    names: ['warmup'],
    kind: 'string',
    value: 'N|DUR',
    help: 'first send N requests (or for DUR, e.g. 2s) and discard them',
  },
  workers: {
    names: ['workers'],
    kind: 'string',
    value: 'N',
    help: 'worker threads sharing the connections, for more than one core (default 1)',
  },
  json: { names: ['json'], kind: 'boolean', help: 'print one JSON object (for culprit compare) instead of the report' },
  save: { names: ['save'], kind: 'string', value: 'FILE', help: 'also write the JSON result to FILE' },
  keepParams: {
    names: ['keep-params'],
    kind: 'boolean',
    help: "keep query-string values and URL passwords in --json/--save (default: '?')",
  },
  failIf: {
    names: ['fail-if'],
    kind: 'list',
    value: "'p99>200ms'",
    help: 'exit 1 if this holds (repeatable; p50..p999, mean, max, rps, errors, errors%)',
  },
} as const satisfies Record<string, FlagSpec>;

export type BenchFlag = keyof typeof benchFlags;

/** Pairs of flags that make no sense together (checked before anything runs). */
export const benchConflicts: readonly (readonly [BenchFlag, BenchFlag])[] = [
  ['requests', 'duration'],
  ['data', 'dataFile'],
  ['json', 'output'],
  ['output', 'workers'],
];
