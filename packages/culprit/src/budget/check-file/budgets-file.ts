/**
 * The file `culprit check` reads: a target (module or command), the requests
 * to send and each one's budget. Parsed from unknown JSON with a one-line
 * error naming the bad field and what is expected. Pure.
 *
 *   { "app": "src/app.ts", "env": { "DB": "…" },
 *     "requests": [ { "name": "story", "request": "GET /api/items/1", "budget": { "repeatedQueries": 1 } } ] }
 */
import { CulpritError } from '../../errors/culprit-error.js';
import { BUDGET_FIELDS, type Budget } from '../check-budget.js';

export interface BudgetedRequest {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  budget: Budget;
}

export interface BudgetsFile {
  /** Module exporting the app, relative to the file. */
  app?: string;
  /** Command that starts the server (`["npm", "start"]`). */
  command?: string[];
  /** Port to use when the server listens on several. */
  port?: number;
  env: Record<string, string>;
  /** Requests sent (unmeasured) before each measured one. Default 1. */
  warmup: number;
  requests: BudgetedRequest[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function bad(file: string, where: string, expected: string, got: unknown): never {
  const shown = JSON.stringify(got)?.slice(0, 60) ?? String(got);
  throw new CulpritError('CULPRIT_E_BAD_BUDGETS', `${file}: ${where} must be ${expected}, got ${shown}`);
}

function stringRecord(file: string, where: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string'))
    bad(file, where, 'an object of strings', value);
  return value as Record<string, string>;
}

function parseBudget(file: string, where: string, value: unknown): Budget {
  if (!isRecord(value)) bad(file, where, `an object with limits among ${BUDGET_FIELDS.join(', ')}`, value);
  const budget: Budget = {};
  for (const [key, limit] of Object.entries(value)) {
    if (!(BUDGET_FIELDS as readonly string[]).includes(key))
      bad(file, `${where}.${key}`, `one of ${BUDGET_FIELDS.join(', ')}`, key);
    if (key === 'constructions' && isRecord(limit)) {
      for (const [className, n] of Object.entries(limit)) {
        if (typeof n !== 'number' || n < 0) bad(file, `${where}.constructions.${className}`, 'a count >= 0', n);
      }
      budget.constructions = limit as Record<string, number>;
      continue;
    }
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0)
      bad(file, `${where}.${key}`, 'a number >= 0', limit);
    (budget as Record<string, number>)[key] = limit;
  }
  return budget;
}

function parseRequest(file: string, index: number, value: unknown): BudgetedRequest {
  const where = `requests[${index}]`;
  if (!isRecord(value)) bad(file, where, 'an object {name?, request, budget}', value);
  const request = value.request;
  let method = 'GET';
  let path: string;
  let extra: Pick<BudgetedRequest, 'headers' | 'body'> = {};
  if (typeof request === 'string') {
    const parts = request.trim().split(/\s+/);
    [method, path] = parts.length === 2 ? [parts[0] ?? 'GET', parts[1] ?? ''] : ['GET', parts[0] ?? ''];
  } else if (isRecord(request) && typeof request.path === 'string') {
    method = typeof request.method === 'string' ? request.method : 'GET';
    path = request.path;
    const headers = stringRecord(file, `${where}.request.headers`, request.headers);
    if (Object.keys(headers).length) extra.headers = headers;
    if (request.body !== undefined) {
      extra = { ...extra, body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) };
    }
  } else {
    return bad(file, `${where}.request`, "'METHOD /path' or {method, path, headers?, body?}", request);
  }
  if (!path.startsWith('/')) bad(file, `${where}.request`, 'a path starting with /', path);
  if (value.name !== undefined && typeof value.name !== 'string') bad(file, `${where}.name`, 'a string', value.name);
  const name = typeof value.name === 'string' ? value.name : `${method.toUpperCase()} ${path}`;
  return {
    name,
    method: method.toUpperCase(),
    path,
    ...extra,
    budget: parseBudget(file, `${where}.budget`, value.budget),
  };
}

/** Validates a parsed budgets file; `file` names it in errors. */
export function parseBudgetsFile(file: string, json: unknown): BudgetsFile {
  if (!isRecord(json)) bad(file, 'the file', 'a JSON object {app | command, requests}', json);
  const out: BudgetsFile = { env: stringRecord(file, 'env', json.env), warmup: 1, requests: [] };
  if (json.app !== undefined) {
    if (typeof json.app !== 'string') bad(file, 'app', 'a module path', json.app);
    out.app = json.app;
  }
  if (json.command !== undefined) {
    if (!Array.isArray(json.command) || json.command.length === 0 || !json.command.every((a) => typeof a === 'string'))
      bad(file, 'command', 'an argv array such as ["npm", "start"]', json.command);
    out.command = json.command as string[];
  }
  if (out.app !== undefined && out.command !== undefined) bad(file, 'app and command', 'one or the other', 'both');
  if (json.port !== undefined) {
    if (typeof json.port !== 'number' || !Number.isInteger(json.port)) bad(file, 'port', 'a port number', json.port);
    out.port = json.port;
  }
  if (json.warmup !== undefined) {
    if (typeof json.warmup !== 'number' || !Number.isInteger(json.warmup) || json.warmup < 0)
      bad(file, 'warmup', 'a whole number >= 0', json.warmup);
    out.warmup = json.warmup;
  }
  if (!Array.isArray(json.requests) || json.requests.length === 0)
    bad(file, 'requests', 'a non-empty array of {name?, request, budget}', json.requests);
  out.requests = json.requests.map((request, i) => parseRequest(file, i, request));
  return out;
}
