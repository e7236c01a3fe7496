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
/**
 * Held here, so Fastify's `dc.channel()` finds this object while it lives: subscribing through it skips what
 * `dc.subscribe(name)` adds at every turn (the name's lookup and the weak reference's count, a native call
 * each way), and culprit/register turns it at every recorded request's open and close.
 */
let channel: dc.Channel | undefined;
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
    channel ??= dc.channel(FASTIFY_START);
    if (on) channel.subscribe(onHandler);
    else channel.unsubscribe(onHandler);
  },
  routeOf: (request) => routes.get(request),
};
