// HTTP routes: each one builds its viewset for the request and runs an action.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { ObjectLiteral } from 'typeorm';
import { parseFeed } from './ebay-feed.js';
import { importFeed } from './ebay-import.js';
import { ApiError } from './errors.js';
import { QueryParams } from './params.js';
import type { ViewRequest, ViewSetClass, ViewSetDeps } from './viewset.js';
import { CollectionViewSet, type EphemeronViewSet, PersonViewSet, PlaceViewSet } from './viewsets.js';

export interface RouteDeps extends ViewSetDeps {
  /** EphemeronViewSet, or the incident's subclass: chosen once, at start-up. */
  ephemeronViewSet: new (
    ...args: ConstructorParameters<typeof EphemeronViewSet>
  ) => EphemeronViewSet;
}

function viewRequest(request: FastifyRequest): ViewRequest {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  return { params, query: QueryParams.from(request.query) };
}

function retrieveRoute<T extends ObjectLiteral>(
  app: FastifyInstance,
  path: string,
  ViewSet: ViewSetClass<T>,
  deps: ViewSetDeps,
): void {
  app.get(path, async (request) => new ViewSet(deps, viewRequest(request)).retrieve());
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const EphemeronViews = deps.ephemeronViewSet;
  app.get('/healthz', async () => {
    await deps.dataSource.query('SELECT 1');
    return { status: 'ok' };
  });
  app.get('/api/ephemera/', async (request) => new EphemeronViews(deps, viewRequest(request)).list());
  retrieveRoute(app, '/api/ephemera/:id/', EphemeronViews, deps);
  retrieveRoute(app, '/api/collections/:id/', CollectionViewSet, deps);
  retrieveRoute(app, '/api/people/:id/', PersonViewSet, deps);
  retrieveRoute(app, '/api/places/:id/', PlaceViewSet, deps);
  app.post('/api/imports/ebay', async (request) => importFeed(deps.dataSource, parseFeed(request.body)));

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: { code: 'no_route', message: `no route for ${request.method} ${request.url}` } }),
  );
  app.setErrorHandler(async (error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send(error.toJSON());
    // Fastify's own client errors (malformed JSON body, wrong content type, too large).
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: error.code ?? 'bad_request', message: error.message } });
    }
    request.log.error(error);
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
}
