/** One router culprit can ask which route template a request matched. */
import type { IncomingMessage } from 'node:http';

export interface RouteTemplate {
  route: string;
  /** Which router said so (express, fastify, koa, hono). */
  from: string;
}

export interface RouteSource {
  id: string;
  /** Starts or stops noting what the router decides (patches stay; they do nothing while off). */
  watch(on: boolean): void;
  /** The template `request` matched, read after its response finished; undefined when this router did not route it. */
  routeOf(request: IncomingMessage): string | undefined;
}

/** A route path of any shape routers accept (string, RegExp, array of them) as text. */
export function pathText(path: unknown): string | undefined {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return String(path);
  if (Array.isArray(path)) return path.map((p) => pathText(p) ?? '?').join('|');
  return undefined;
}
