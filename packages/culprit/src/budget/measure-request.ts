/**
 * What a test calls: run one request through a module-mode target (the
 * app in a child process with the probe, no socket) and get its record, or
 * assert it stays within a budget. Works with any test runner: failures are
 * plain thrown Errors.
 */
import { resolve } from 'node:path';
import type { RequestRecord } from '../capture/types.js';
import { openTarget } from '../target/open-target.js';
import type { RunningTarget, TargetRequest } from '../target/types.js';
import { type Budget, checkBudget, describeViolations, recordTitle } from './check-budget.js';

export interface MeasureOptions {
  /** Module exporting the app (Express, Fastify, Koa, Hono, listener, fetch handler); .ts works. */
  app: string;
  request: TargetRequest | string;
  /** Environment for the app (merged over process.env). */
  env?: NodeJS.ProcessEnv;
  /** Requests sent first and not measured (caches, lazy imports). Default 1. */
  warmup?: number;
  readyTimeoutMs?: number;
}

async function withTarget<T>(options: MeasureOptions, use: (target: RunningTarget) => Promise<T>): Promise<T> {
  const target = await openTarget({
    mode: 'module',
    modulePath: resolve(options.app),
    cwd: process.cwd(),
    env: { ...process.env, ...options.env },
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
  });
  try {
    return await use(target);
  } finally {
    await target.close();
  }
}

function asRequest(request: TargetRequest | string): TargetRequest {
  if (typeof request !== 'string') return request;
  const [method, path] = request.includes(' ') ? request.split(/\s+/, 2) : ['GET', request];
  return { method: (method ?? 'GET').toUpperCase(), path: path ?? '/' };
}

/** Queries, rows, constructions and time of one request (after warm-up). */
export async function measureRequest(options: MeasureOptions): Promise<RequestRecord> {
  return withTarget(options, async (target) => {
    await target.probe.configureTrace({ queries: true, constructions: true, stacks: false });
    const request = asRequest(options.request);
    for (let i = 0; i < (options.warmup ?? 1); i++) await target.send(request);
    return target.send(request);
  });
}

/** Throws an Error naming every broken limit when the request goes over its budget. */
export async function assertWithinBudget(options: MeasureOptions, budget: Budget): Promise<RequestRecord> {
  const record = await measureRequest(options);
  const violations = checkBudget(record, budget);
  if (violations.length) throw new Error(describeViolations(record, violations, recordTitle(record)));
  return record;
}
