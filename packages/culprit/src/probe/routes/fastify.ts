/**
 * Fastify (and NestJS on Fastify) publishes each handled request and its
 * route on the `tracing:fastify.request.handler:start` channel; a subscriber
 * makes Fastify take its traced path, so it is subscribed only while watched.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { noteFault } from '../faults.js';
import type { RouteSource } from './types.js';

const FASTIFY_START = 'tracing:fastify.request.handler:start';
const routes = new WeakMap<IncomingMessage, string>();
let listening = false;

function onHandler(message: unknown): void {
  try {
    const { request, route } = message as { request?: { raw?: IncomingMessage }; route?: { url?: unknown } };
    if (request?.raw && typeof route?.url === 'string') routes.set(request.raw, route.url);
  } catch (error) {
    noteFault('fastify route', error);
  }
}

export const fastify: RouteSource = {
  id: 'fastify',
  watch(on) {
    if (on === listening) return;
    listening = on;
    if (on) dc.subscribe(FASTIFY_START, onHandler);
    else dc.unsubscribe(FASTIFY_START, onHandler);
  },
  routeOf: (request) => routes.get(request),
};
