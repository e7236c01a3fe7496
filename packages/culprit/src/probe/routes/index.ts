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
import { onScopesOpen } from '../request-context.js';
import { express } from './express.js';
import { fastify } from './fastify.js';
import { hono } from './hono.js';
import { koa } from './koa.js';
import type { RouteSource, RouteTemplate } from './types.js';

export type { RouteTemplate } from './types.js';

const sources: readonly RouteSource[] = [fastify, koa, hono, express];
/** Sources on for every request. */
let watching = false;
/** Sources on only while a recorded request is open (culprit/register's sample). */
let recordedOnly = false;
let followingScopes = false;

function turn(on: boolean): void {
  for (const source of sources) {
    try {
      source.watch(on);
    } catch (error) {
      noteFault(`${source.id} routes`, error);
    }
  }
}

/**
 * Starts (or stops) noting routes; the patches are installed on the first start. `requests`: 'every'
 * (`culprit watch`, a profile by route) or 'recorded' (culprit/register's sample): the sources then note
 * routes only while a recorded request is open (openScope), so a request outside the sample pays no
 * route note (Fastify takes its untraced path, Koa and Hono note no context). 'every' wins over 'recorded'.
 */
export function watchRouters(on: boolean, requests: 'every' | 'recorded' = 'every'): void {
  if (!on) {
    recordedOnly = false;
    if (watching) turn(false);
    watching = false;
    return;
  }
  if (requests === 'every') {
    recordedOnly = false;
    if (!watching) turn(true);
    watching = true;
    return;
  }
  if (watching || recordedOnly) return;
  recordedOnly = true;
  // the patches go in now, before the app loads its router; then the sources idle until a recorded request
  turn(true);
  turn(false);
  if (followingScopes) return;
  followingScopes = true;
  onScopesOpen((open) => {
    if (recordedOnly) turn(open);
  });
}

/** The template `request` was routed by, once its response finished; undefined when no router said. */
export function routeTemplateOf(request: IncomingMessage): RouteTemplate | undefined {
  for (const source of sources) {
    const route = source.routeOf(request);
    if (route !== undefined) return { route, from: source.id };
  }
  return undefined;
}
