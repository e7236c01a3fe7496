import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CulpritError } from '../errors/culprit-error.js';
import { parseDurationMs } from './duration.js';
import { type BenchFlag, benchConflicts, benchFlags } from './flags.js';
import { parseThresholds, type Threshold } from './thresholds.js';
import { checkConflicts, type FlagValues, tokenize } from './tokenize.js';

/** What one load run does; everything the load loop needs, already validated. */
export interface LoadOptions {
  url: string;
  /** Total requests to send; undefined when the run is bounded by durationMs. */
  requests: number | undefined;
  durationMs: number | undefined;
  concurrency: number;
  /** Total requests/s over all connections; undefined = as fast as possible. */
  rate: number | undefined;
  /** Per-request timeout; 0 = none. */
  timeoutMs: number;
  method: string;
  /** Header lines in order, names as given. */
  headers: [string, string][];
  /** Request body as latin1-safe base64-free bytes (a plain array so it crosses worker boundaries). */
  body: Uint8Array | undefined;
  keepAlive: boolean;
  followRedirects: boolean;
}

/** The whole `culprit bench` invocation. */
export interface BenchOptions {
  load: LoadOptions;
  /** Discarded first requests: a count, or a duration in ms. */
  warmup: { requests: number } | { durationMs: number } | undefined;
  workers: number;
  output: 'text' | 'json' | 'csv';
  save: string | undefined;
  /** Write the URL's query values and password as given (`--keep-params`); else `?`. */
  keepParams: boolean;
  /** Files the run reads (`-D`), which `--save` must not replace. */
  inputs: string[];
  thresholds: Threshold[];
}

const DEFAULT_REQUESTS = 200;
const DEFAULT_CONCURRENCY = 50;
const DEFAULT_TIMEOUT_S = 20;
const MAX_WORKERS = 64;

function bad(message: string): CulpritError {
  return new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', message);
}

function str(values: FlagValues<BenchFlag>, key: BenchFlag): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

function list(values: FlagValues<BenchFlag>, key: BenchFlag): string[] {
  const v = values[key];
  return Array.isArray(v) ? v : [];
}

function positiveInt(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw bad(`${flag} must be a whole number ≥ 1, got '${text}'`);
  }
  return n;
}

/** Parses and validates `culprit bench` arguments; every problem is a one-line usage error. */
export function parseBenchArgs(argv: readonly string[], cwd: string, userAgent: string): BenchOptions {
  const { values, positionals } = tokenize(argv, benchFlags);
  checkConflicts(values, benchFlags, benchConflicts);
  if (positionals.length !== 1) {
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      positionals.length === 0
        ? 'expected one URL, e.g. culprit bench http://127.0.0.1:3000/'
        : `expected one URL, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const url = parseUrl(positionals[0] ?? '');
  const concurrency = positiveInt(str(values, 'concurrency'), '-c', DEFAULT_CONCURRENCY);
  const durationText = str(values, 'duration');
  const durationMs = durationText === undefined ? undefined : parseDurationMs(durationText);
  if (durationText !== undefined && (durationMs === undefined || durationMs <= 0)) {
    throw bad(`-z must be a duration such as 10s or 2m, got '${durationText}'`);
  }
  const requests = durationMs === undefined ? positiveInt(str(values, 'requests'), '-n', DEFAULT_REQUESTS) : undefined;
  if (requests !== undefined && requests < concurrency) {
    throw bad(
      `-n (${requests}) cannot be smaller than -c (${concurrency}): each connection sends at least one request`,
    );
  }
  const rateText = str(values, 'rate');
  const rate = rateText === undefined ? undefined : Number(rateText);
  if (rate !== undefined && !(rate > 0 && Number.isFinite(rate)))
    throw bad(`-q must be a rate > 0 in requests/s, got '${rateText}'`);
  const timeoutText = str(values, 'timeout');
  const timeoutS = timeoutText === undefined ? DEFAULT_TIMEOUT_S : Number(timeoutText);
  if (!(timeoutS >= 0 && Number.isFinite(timeoutS)))
    throw bad(`-t must be seconds ≥ 0 (0 = no timeout), got '${timeoutText}'`);
  const method = (str(values, 'method') ?? 'GET').toUpperCase();
  if (!/^[A-Z!#$%&'*+.^_`|~0-9-]+$/.test(method))
    throw bad(`-m must be an HTTP method such as GET or POST, got '${method}'`);
  const body = readBody(values, cwd);
  const workers = positiveInt(str(values, 'workers'), '--workers', 1);
  if (workers > MAX_WORKERS || workers > concurrency) {
    throw bad(`--workers must be between 1 and min(-c, ${MAX_WORKERS}), got ${workers}`);
  }
  const outputText = str(values, 'output');
  if (outputText !== undefined && outputText !== 'csv') throw bad(`-o only knows 'csv', got '${outputText}'`);
  return {
    load: {
      url: url.href,
      requests,
      durationMs,
      concurrency,
      rate,
      timeoutMs: timeoutS * 1000,
      method,
      headers: buildHeaders(values, url, body, userAgent),
      body,
      keepAlive: values.disableKeepalive !== true,
      followRedirects: values.disableRedirects !== true,
    },
    warmup: parseWarmup(str(values, 'warmup')),
    workers,
    output: values.json === true ? 'json' : outputText === 'csv' ? 'csv' : 'text',
    save: str(values, 'save'),
    keepParams: values.keepParams === true,
    inputs: [str(values, 'dataFile')].filter((file) => file !== undefined).map((file) => resolve(cwd, file)),
    thresholds: parseThresholds(list(values, 'failIf')),
  };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new CulpritError('CULPRIT_E_BAD_URL', `'${text}' is not a URL; expected e.g. http://127.0.0.1:3000/path`, {
      cause,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CulpritError(
      'CULPRIT_E_BAD_URL',
      `unsupported scheme '${url.protocol}' in '${text}'; expected http: or https:`,
    );
  }
  if (url.hostname === '') throw new CulpritError('CULPRIT_E_BAD_URL', `'${text}' has no host`);
  return url;
}

function readBody(values: FlagValues<BenchFlag>, cwd: string): Uint8Array | undefined {
  const data = str(values, 'data');
  if (data !== undefined) return Buffer.from(data);
  const file = str(values, 'dataFile');
  if (file === undefined) return undefined;
  try {
    return readFileSync(resolve(cwd, file));
  } catch (cause) {
    const reason = cause instanceof Error && 'code' in cause ? String(cause.code) : 'unreadable';
    throw new CulpritError(
      'CULPRIT_E_UNREADABLE_FILE',
      `cannot read -D file '${file}' (${reason}); expected a readable file`,
      { cause },
    );
  }
}

function buildHeaders(
  values: FlagValues<BenchFlag>,
  url: URL,
  body: Uint8Array | undefined,
  userAgent: string,
): [string, string][] {
  const headers: [string, string][] = [];
  const given = new Set<string>();
  for (const line of list(values, 'header')) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m || /[\r\n]/.test(line)) {
      throw new CulpritError('CULPRIT_E_BAD_HEADER', `-H '${line}' is not a header; expected "Name: value"`);
    }
    const [, name = '', value = ''] = m;
    headers.push([name, value]);
    given.add(name.toLowerCase());
  }
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined && !given.has(name.toLowerCase())) headers.push([name, value]);
  };
  const auth = str(values, 'auth');
  if (auth !== undefined && !auth.includes(':')) throw bad(`-a must be USER:PASS, got '${auth}'`);
  add('Host', str(values, 'host') ?? url.host);
  add('User-Agent', userAgent);
  add('Accept', str(values, 'accept'));
  add('Accept-Encoding', values.disableCompression === true ? undefined : 'gzip');
  add('Authorization', auth === undefined ? undefined : `Basic ${Buffer.from(auth).toString('base64')}`);
  add('Content-Type', str(values, 'contentType') ?? (body ? 'text/html' : undefined));
  return headers;
}

function parseWarmup(text: string | undefined): BenchOptions['warmup'] {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return { requests: positiveInt(text, '--warmup', 1) };
  const ms = parseDurationMs(text);
  if (ms === undefined || ms <= 0)
    throw bad(`--warmup must be a request count (100) or a duration (2s), got '${text}'`);
  return { durationMs: ms };
}
