/**
 * What a module may export, as a registry of adapters tried in order: each
 * recognizes a value and turns it into an unlistened `http.Server` that
 * in-memory requests are handed to.
 */
import http from 'node:http';
import { type FetchHandler, fetchListener } from './fetch-bridge.js';
import { createNestApplication, isNestApplication, isNestModule, nestServer } from './nest.js';

export interface AppAdapter {
  id: string;
  detect(value: unknown): boolean;
  /** `modulePath`: the user's module, from which a framework's own packages are resolved. */
  toServer(value: unknown, modulePath: string): Promise<http.Server>;
}

type Fn = (...args: unknown[]) => unknown;
const isFunction = (value: unknown): value is Fn => typeof value === 'function';
function has(value: unknown, ...names: string[]): value is Record<string, unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => isFunction(record[name]));
}
const serverOf = (listener: http.RequestListener): Promise<http.Server> => Promise.resolve(http.createServer(listener));

/** Tried in order: the most specific shapes first. */
export const appAdapters: AppAdapter[] = [
  {
    id: 'nest',
    detect: isNestModule,
    toServer: (value, modulePath) => createNestApplication(value, modulePath),
  },
  {
    id: 'nest',
    detect: isNestApplication,
    toServer: (value) => nestServer(value),
  },
  {
    id: 'fastify',
    detect: (value) => has(value, 'inject', 'ready', 'register'),
    async toServer(value) {
      const app = value as { ready(): Promise<unknown>; server: http.Server };
      await app.ready();
      return app.server;
    },
  },
  {
    id: 'server',
    detect: (value) => value instanceof http.Server,
    toServer: (value) => Promise.resolve(value as http.Server),
  },
  {
    id: 'koa',
    detect: (value) => has(value, 'callback', 'use') && Array.isArray((value as { middleware?: unknown }).middleware),
    toServer: (value) => serverOf((value as { callback(): http.RequestListener }).callback()),
  },
  {
    id: 'express',
    detect: (value) => isFunction(value) && has(value, 'handle', 'use', 'set'),
    toServer: (value) => serverOf(value as http.RequestListener),
  },
  {
    id: 'hono',
    detect: (value) => has(value, 'fetch', 'route', 'get'),
    toServer: (value) => {
      const app = value as { fetch: FetchHandler };
      // the bindings @hono/node-server gives: the app's `c.env.incoming` (and culprit's route lookup) work the same
      return serverOf(fetchListener((request, env) => app.fetch(request, env)));
    },
  },
  {
    id: 'fetch',
    detect: (value) => has(value, 'fetch') || (isFunction(value) && value.length === 1),
    toServer: (value) => {
      const handler: FetchHandler = isFunction(value)
        ? (request) => value(request) as Response | Promise<Response>
        : (request) => (value as { fetch(request: Request): Response | Promise<Response> }).fetch(request);
      return serverOf(fetchListener(handler));
    },
  },
  {
    id: 'listener',
    detect: (value) => isFunction(value) && value.length >= 2,
    toServer: (value) => serverOf(value as http.RequestListener),
  },
];

/** One line describing an exported value, for the "nothing usable" error. */
export function describeExport(name: string, value: unknown): string {
  if (isFunction(value)) return `${name}: function with ${value.length} parameter(s)`;
  if (value === null) return `${name}: null`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 6);
    return `${name}: object${keys.length ? ` with ${keys.join(', ')}` : ''}`;
  }
  return `${name}: ${typeof value}`;
}

export const ACCEPTED =
  'an Express, Fastify, Koa or Hono app, a NestJS root module (@Module class) or application, an http.Server, a (req, res) listener, a fetch handler (request) => Response or { fetch }, ' +
  'as the default or a named export, or a promise of one, or a factory buildApp/createApp/makeApp/buildServer/createServer/makeServer returning one';
