/**
 * The route template a request matched, read from the framework's router
 * (`culprit watch` groups requests by it, `culprit/register` puts it on the
 * server span as `http.route`): one source per router, asked in turn. NestJS
 * needs none of its own: its controllers are routes of the Express or Fastify
 * underneath. When no router says, the CLI folds ids in the path. Runs
 * inside the user's process: built-ins only, never throws.
 */
import type { IncomingMessage } from 'node:http';
import { noteFault } from '../faults.js';
import { express } from './express.js';
import { fastify } from './fastify.js';
import { hono } from './hono.js';
import { koa } from './koa.js';
import type { RouteSource, RouteTemplate } from './types.js';

export type { RouteTemplate } from './types.js';

const sources: readonly RouteSource[] = [fastify, koa, hono, express];
let watching = false;

/** Starts (or stops) noting routes; the patches are installed on the first start. */
export function watchRouters(on: boolean): void {
  if (on === watching) return;
  watching = on;
  for (const source of sources) {
    try {
      source.watch(on);
    } catch (error) {
      noteFault(`${source.id} routes`, error);
    }
  }
}

/** The template `request` was routed by, once its response finished; undefined when no router said. */
export function routeTemplateOf(request: IncomingMessage): RouteTemplate | undefined {
  for (const source of sources) {
    const route = source.routeOf(request);
    if (route !== undefined) return { route, from: source.id };
  }
  return undefined;
}
