/**
 * `culprit trace` arguments → options, all validated before any target starts
 * (bad -n, header, URL, missing command: exit 2 with one line).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFlags } from '../cli/parse-flags.js';
import { CulpritError } from '../errors/culprit-error.js';
import type { BreakpointSpec, TargetOptions, TargetRequest } from '../target/types.js';
import { parseLogSpec, parseWhenSpec } from './log-spec.js';

export interface TraceCliOptions {
  target: TargetOptions;
  request: TargetRequest;
  count: number;
  keepParams: boolean;
  stacks: boolean;
  constructions: boolean;
  json: boolean;
  save: string | undefined;
  /** Parsed `--log` and `--when` specs (bad ones fail here, before any target starts). */
  breakpoints: BreakpointSpec[];
}

const flags = {
  app: { type: 'string' },
  n: { type: 'string', short: 'n' },
  header: { type: 'string', short: 'H', multiple: true },
  method: { type: 'string', short: 'X' },
  data: { type: 'string', short: 'd' },
  json: { type: 'boolean' },
  save: { type: 'string' },
  'keep-params': { type: 'boolean' },
  stacks: { type: 'boolean' },
  'no-constructions': { type: 'boolean' },
  port: { type: 'string' },
  'ready-timeout': { type: 'string' },
  log: { type: 'string', multiple: true },
  when: { type: 'string', multiple: true },
} as const;

function positiveInt(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new CulpritError(
      'CULPRIT_E_BAD_FLAG_VALUE',
      `${flag} expects a whole number from 1 to ${max}, got '${value}'`,
    );
  }
  return n;
}

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value.replace(/s$/, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new CulpritError('CULPRIT_E_BAD_FLAG_VALUE', `${flag} expects seconds, e.g. 30, got '${value}'`);
  return n * 1000;
}

/** `Name: value` headers → a record (names lower-cased, as HTTP treats them). */
export function parseHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const text of values) {
    const colon = text.indexOf(':');
    const name = colon > 0 ? text.slice(0, colon).trim() : '';
    if (!name || /\s/.test(name))
      throw new CulpritError('CULPRIT_E_BAD_HEADER', `-H expects 'Name: value', got '${text}'`);
    headers[name.toLowerCase()] = text.slice(colon + 1).trim();
  }
  return headers;
}

/** A path with query, from a full URL or a path (command mode learns host and port from the probe). */
export function requestPath(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    throw new CulpritError('CULPRIT_E_BAD_URL', `expected a URL or a path starting with /, got '${url}'`);
  }
}

/** Parses `trace` arguments; `--` separates the user's command. */
export function parseTraceArgs(args: string[], cwd: string, commandName = 'trace'): TraceCliOptions {
  const dashes = args.indexOf('--');
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const command = dashes < 0 ? [] : args.slice(dashes + 1);
  const { values, positionals } = parseFlags(commandName, own, flags);
  const readyTimeoutMs = seconds('--ready-timeout', values['ready-timeout'], 30);
  const headers = parseHeaders(values.header ?? []);
  let target: TargetOptions;
  let request: TargetRequest;
  if (values.app !== undefined) {
    if (command.length)
      throw new CulpritError('CULPRIT_E_FLAG_CONFLICT', '--app runs a module in-process: drop the command after --');
    const [method, path, ...extra] = positionals;
    if (!method || !path || extra.length) {
      throw new CulpritError(
        'CULPRIT_E_MISSING_ARGUMENT',
        `usage: culprit ${commandName} --app MODULE METHOD PATH (e.g. --app ./src/app.ts GET /api/items)`,
      );
    }
    const modulePath = resolve(cwd, values.app);
    if (!existsSync(modulePath)) {
      throw new CulpritError(
        'CULPRIT_E_UNREADABLE_FILE',
        `--app: ${modulePath} does not exist; expected the module that exports your app`,
      );
    }
    target = { mode: 'module', modulePath, cwd, readyTimeoutMs };
    request = { method: method.toUpperCase(), path: requestPath(path) };
  } else {
    const [url, ...extra] = positionals;
    if (!url || extra.length) {
      throw new CulpritError(
        'CULPRIT_E_MISSING_ARGUMENT',
        `usage: culprit ${commandName} [options] URL -- command… (e.g. /api/items -- npm start)`,
      );
    }
    if (!command.length) {
      throw new CulpritError(
        'CULPRIT_E_MISSING_ARGUMENT',
        `no command to start: put it after --, e.g. culprit ${commandName} ${url} -- npm start`,
      );
    }
    const port = values.port === undefined ? undefined : positiveInt('--port', values.port, 0, 65535);
    target = { mode: 'command', command, cwd, readyTimeoutMs, ...(port === undefined ? {} : { port }) };
    request = { method: (values.method ?? 'GET').toUpperCase(), path: requestPath(url) };
  }
  if (Object.keys(headers).length) request.headers = headers;
  if (values.data !== undefined) request.body = values.data;
  return {
    target,
    request,
    count: positiveInt('-n', values.n, 1, 10_000),
    keepParams: values['keep-params'] ?? false,
    stacks: values.stacks ?? false,
    constructions: !(values['no-constructions'] ?? false),
    json: values.json ?? false,
    save: values.save === undefined ? undefined : resolve(cwd, values.save),
    breakpoints: [...(values.log ?? []).map(parseLogSpec), ...(values.when ?? []).map(parseWhenSpec)],
  };
}
