/**
 * `culprit trace` arguments → options, all validated before any target starts
 * (bad -n, header, URL, missing command: exit 2 with one line).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFlags } from '../cli/parse-flags.js';
import { CulpritError } from '../errors/culprit-error.js';
import { splitAppSpec } from '../target/app-spec.js';
import { moduleRequestLine, shapeRequest } from '../target/request-shape.js';
import { parseTargetUrl, portOf } from '../target/target-url.js';
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
  /** Report a request that failed or answered >= 400 instead of failing the run (`--allow-errors`). */
  allowErrors: boolean;
  /** Send POST/PUT/PATCH/DELETE more than once when asked to (`--repeat-unsafe`). */
  repeatUnsafe: boolean;
  /** Print each request's operations on its time axis (`--timeline`). */
  timeline: boolean;
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
  timeout: { type: 'string' },
  'allow-errors': { type: 'boolean' },
  'repeat-unsafe': { type: 'boolean' },
  timeline: { type: 'boolean' },
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

/** A duration flag in seconds (`30` or `30s`) → milliseconds. */
export function seconds(flag: string, value: string | undefined, fallback: number): number {
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
  return parseTargetUrl(url).path;
}

/** Parses `trace` arguments; `--` separates the user's command. */
export function parseTraceArgs(args: string[], cwd: string, commandName = 'trace'): TraceCliOptions {
  const dashes = args.indexOf('--');
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const command = dashes < 0 ? [] : args.slice(dashes + 1);
  const { values, positionals } = parseFlags(commandName, own, flags);
  const readyTimeoutMs = seconds('--ready-timeout', values['ready-timeout'], 30);
  const waits = values.timeout === undefined ? {} : { recordTimeoutMs: seconds('--timeout', values.timeout, 60) };
  const headers = parseHeaders(values.header ?? []);
  const body = values.data === undefined ? {} : { body: values.data };
  let target: TargetOptions;
  let request: TargetRequest;
  if (values.app !== undefined) {
    if (command.length)
      throw new CulpritError('CULPRIT_E_FLAG_CONFLICT', '--app runs a module in-process: drop the command after --');
    const line = moduleRequestLine(positionals, values.method);
    if (!line) {
      throw new CulpritError(
        'CULPRIT_E_MISSING_ARGUMENT',
        `usage: culprit ${commandName} --app MODULE [METHOD] PATH (e.g. --app ./src/app.ts GET /api/items)`,
      );
    }
    const modulePath = resolve(cwd, values.app);
    const file = resolve(cwd, splitAppSpec(values.app).modulePath);
    if (!existsSync(file)) {
      throw new CulpritError(
        'CULPRIT_E_UNREADABLE_FILE',
        `--app: ${file} does not exist; expected the module that exports your app (MODULE or MODULE#EXPORT)`,
      );
    }
    target = { mode: 'module', modulePath, cwd, readyTimeoutMs, ...waits };
    request = shapeRequest({ ...line, path: requestPath(line.path), headers, ...body });
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
    const where = parseTargetUrl(url);
    const port = portOf(where, values.port === undefined ? undefined : positiveInt('--port', values.port, 0, 65535));
    target = {
      mode: 'command',
      command,
      cwd,
      readyTimeoutMs,
      ...waits,
      ...(port === undefined ? {} : { port }),
      ...(where.scheme ? { scheme: where.scheme } : {}),
    };
    const method = values.method === undefined ? {} : { method: values.method };
    request = shapeRequest({ ...method, path: where.path, headers, ...body });
  }
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
    allowErrors: values['allow-errors'] ?? false,
    repeatUnsafe: values['repeat-unsafe'] ?? false,
    timeline: values.timeline ?? false,
  };
}
