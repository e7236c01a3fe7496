/**
 * `culprit profile` arguments → options, validated before any work starts
 * (unknown sort key, bad --export, unwritable paths: exit 2, one line).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CulpritError } from '../errors/culprit-error.js';
import { assertWritable, type ExportSpec, parseExportSpec } from '../export/write-exports.js';
import { moduleRequestLine, shapeRequest } from '../target/request-shape.js';
import { parseTargetUrl } from '../target/target-url.js';
import type { TargetOptions, TargetRequest } from '../target/types.js';
import { seconds } from '../trace/cli-options.js';
import { isSortKey, type SortKey, sortKeys } from './pstats.js';

export interface ProfileCliOptions {
  kind: 'profile';
  target: TargetOptions;
  request: TargetRequest;
  warmup: number;
  runs: number;
  intervalUs: number;
  sort: SortKey;
  limit: number | undefined;
  filter: RegExp | undefined;
  expandDeps: boolean;
  exports: ExportSpec[];
  save: string | undefined;
  html: string | undefined;
  json: boolean;
  allowErrors: boolean;
  /** Profile a POST/PUT/PATCH/DELETE with all its passes (it is sent warmup + 2 × runs times). */
  repeatUnsafe: boolean;
  keepParams: boolean;
}

export interface DiffCliOptions {
  kind: 'diff';
  before: string;
  after: string;
  limit: number;
  json: boolean;
}

const flags = {
  app: { type: 'string' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  warmup: { type: 'string' },
  n: { type: 'string', short: 'n' },
  interval: { type: 'string' },
  sort: { type: 'string', short: 's' },
  limit: { type: 'string' },
  filter: { type: 'string' },
  'expand-deps': { type: 'boolean' },
  export: { type: 'string', multiple: true },
  save: { type: 'string' },
  html: { type: 'string' },
  json: { type: 'boolean' },
  diff: { type: 'boolean' },
  'allow-errors': { type: 'boolean' },
  'keep-params': { type: 'boolean' },
  'repeat-unsafe': { type: 'boolean' },
  'ready-timeout': { type: 'string' },
  timeout: { type: 'string' },
} as const;

export function parseProfileArgs(args: string[], cwd: string): ProfileCliOptions | DiffCliOptions {
  const dashes = args.indexOf('--');
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const command = dashes < 0 ? [] : args.slice(dashes + 1);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof flags; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: own, options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new CulpritError('CULPRIT_E_UNKNOWN_FLAG', `${message} (see culprit profile --help)`, { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.diff) {
    const [before, after, ...rest] = positionals;
    if (!before || !after || rest.length) {
      throw new CulpritError(
        'CULPRIT_E_MISSING_ARGUMENT',
        'culprit profile --diff needs two captures: --diff A.json B.json',
      );
    }
    return { kind: 'diff', before, after, limit: int(values.limit, '--limit', 25, 1), json: values.json === true };
  }

  const sort = values.sort ?? 'cumtime';
  if (!isSortKey(sort)) {
    throw new CulpritError(
      'CULPRIT_E_BAD_FLAG_VALUE',
      `--sort expects one of ${Object.keys(sortKeys).join(', ')}; got '${sort}'`,
    );
  }
  let filter: RegExp | undefined;
  if (values.filter !== undefined) {
    try {
      filter = new RegExp(values.filter);
    } catch (error) {
      throw new CulpritError(
        'CULPRIT_E_BAD_FLAG_VALUE',
        `--filter expects a regular expression; got '${values.filter}'`,
        { cause: error },
      );
    }
  }
  const output = (flag: string, path: string | undefined) => {
    if (path === undefined) return undefined;
    const absolute = resolve(cwd, path);
    assertWritable(absolute, flag);
    return absolute;
  };
  const { target, request } = targetOf(values, positionals, command, cwd);
  return {
    kind: 'profile',
    target,
    request,
    warmup: int(values.warmup, '--warmup', 3, 0),
    runs: int(values.n, '-n', 10, 1),
    intervalUs: int(values.interval, '--interval', 1000, 10),
    sort,
    limit: values.limit === 'all' ? undefined : int(values.limit, '--limit', 25, 1),
    filter,
    expandDeps: values['expand-deps'] === true,
    exports: (values.export ?? []).map((spec) => parseExportSpec(spec, cwd)),
    save: output('--save', values.save),
    html: output('--html', values.html),
    json: values.json === true,
    allowErrors: values['allow-errors'] === true,
    repeatUnsafe: values['repeat-unsafe'] === true,
    keepParams: values['keep-params'] === true,
  };
}

type Values = ReturnType<typeof parseArgs<{ options: typeof flags; allowPositionals: true }>>['values'];

function targetOf(values: Values, positionals: string[], command: string[], cwd: string) {
  const readyTimeoutMs = seconds('--ready-timeout', values['ready-timeout'], 30);
  const waits = values.timeout === undefined ? {} : { recordTimeoutMs: seconds('--timeout', values.timeout, 60) };
  const headers = Object.fromEntries((values.header ?? []).map(parseHeader));
  const extra = { headers, ...(values.data !== undefined ? { body: values.data } : {}) };
  if (values.app !== undefined) {
    const line = moduleRequestLine(positionals, values.method);
    if (!line || command.length) {
      throw new CulpritError(
        'CULPRIT_E_MISSING_ARGUMENT',
        'module mode is: culprit profile --app MODULE [METHOD] PATH (e.g. --app src/app.ts GET /api/items)',
      );
    }
    const path = line.path;
    if (!path.startsWith('/')) throw new CulpritError('CULPRIT_E_BAD_URL', `PATH must start with '/'; got '${path}'`);
    return {
      target: { mode: 'module' as const, modulePath: values.app, cwd, readyTimeoutMs, ...waits },
      request: shapeRequest({ ...line, ...extra }),
    };
  }
  const [url, ...rest] = positionals;
  if (!url || rest.length || command.length === 0) {
    throw new CulpritError(
      'CULPRIT_E_MISSING_ARGUMENT',
      'culprit profile needs a target: --app MODULE [METHOD] PATH, or URL -- command (e.g. http://localhost:3000/api -- npm start)',
    );
  }
  const where = parseTargetUrl(url);
  return {
    target: {
      mode: 'command' as const,
      command,
      cwd,
      readyTimeoutMs,
      ...waits,
      ...(where.port === undefined ? {} : { port: where.port }),
      ...(where.scheme ? { scheme: where.scheme } : {}),
    },
    request: shapeRequest({
      ...(values.method === undefined ? {} : { method: values.method }),
      path: where.path,
      ...extra,
    }),
  };
}

function parseHeader(header: string): [string, string] {
  const at = header.indexOf(':');
  if (at <= 0) throw new CulpritError('CULPRIT_E_BAD_HEADER', `-H expects 'Name: value'; got '${header}'`);
  return [header.slice(0, at).trim().toLowerCase(), header.slice(at + 1).trim()];
}

function int(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) {
    throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `${flag} expects a whole number ≥ ${min}; got '${value}'`);
  }
  return n;
}
