/**
 * `culprit replay` arguments → options, validated before anything is sent:
 * the target must be this machine (127.0.0.1, localhost, [::1]), since replay
 * sends a whole log's worth of requests.
 */
import { resolve } from 'node:path';
import { parseFlags } from '../cli/parse-flags.js';
import { CulpritError } from '../errors/culprit-error.js';

export interface ReplayCliOptions {
  file: string;
  target: URL;
  /** Requests per second; undefined: the recorded pace. */
  rate: number | undefined;
  includeUnsafe: boolean;
  concurrency: number;
  limit: number | undefined;
  json: boolean;
}

const flags = {
  target: { type: 'string' },
  rate: { type: 'string' },
  'include-unsafe': { type: 'boolean' },
  concurrency: { type: 'string', short: 'c' },
  n: { type: 'string', short: 'n' },
  json: { type: 'boolean' },
} as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function loopbackTarget(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CulpritError('CULPRIT_E_BAD_URL', `--target expects a URL such as http://127.0.0.1:3000, got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CulpritError('CULPRIT_E_BAD_URL', `--target expects http:// or https://, got '${text}'`);
  if (!LOOPBACK.has(url.hostname))
    throw new CulpritError(
      'CULPRIT_E_BAD_URL',
      `--target must be this machine (127.0.0.1, localhost or [::1]): replay sends a whole log of requests, got '${url.hostname}'`,
    );
  return url;
}

function positive(flag: string, value: string | undefined, integer: boolean, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max || (integer && !Number.isInteger(n)))
    throw new CulpritError(
      'CULPRIT_E_BAD_FLAG_VALUE',
      `${flag} expects a ${integer ? 'whole ' : ''}number above 0 and at most ${max}, got '${value}'`,
    );
  return n;
}

export function parseReplayArgs(args: string[], cwd: string): ReplayCliOptions {
  const { values, positionals } = parseFlags('replay', args, flags);
  const [file, ...extra] = positionals;
  if (!file || extra.length)
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      'usage: culprit replay FILE --target URL (FILE: an access log or a HAR file; URL: http://127.0.0.1:PORT)',
    );
  if (values.target === undefined)
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      `no target: culprit replay ${file} --target http://127.0.0.1:PORT (the server culprit watch records)`,
    );
  return {
    file: resolve(cwd, file),
    target: loopbackTarget(values.target),
    rate: positive('--rate', values.rate, false, 100_000),
    includeUnsafe: values['include-unsafe'] ?? false,
    concurrency: positive('-c', values.concurrency, true, 1000) ?? 32,
    limit: positive('-n', values.n, true, 10_000_000),
    json: values.json ?? false,
  };
}
