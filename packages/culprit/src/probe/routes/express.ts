/**
 * Express (and NestJS on Express, whose controllers become Express routes
 * with the global prefix and the controller's path joined): the matched
 * route stays on the request as `req.route.path`, under `req.baseUrl` for a
 * mounted router. Nothing to patch.
 */
import type { IncomingMessage } from 'node:http';
import { pathText, type RouteSource } from './types.js';

export const express: RouteSource = {
  id: 'express',
  watch() {},
  routeOf(request) {
    const routed = request as IncomingMessage & { route?: { path?: unknown }; baseUrl?: unknown };
    const path = typeof routed.route === 'object' && routed.route !== null ? pathText(routed.route.path) : undefined;
    if (path === undefined) return undefined;
    const base = typeof routed.baseUrl === 'string' ? routed.baseUrl : '';
    return `${base}${path}` || '/';
  },
};
