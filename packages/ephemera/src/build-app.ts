// Builds the service: database, schema, routes. Used by ./app.ts (module
// mode), the CLI's `serve` and the tests.
import 'reflect-metadata';
import Fastify, { type FastifyInstance } from 'fastify';
import { IncidentEphemeronViewSet } from './api/incident.js';
import { registerRoutes } from './api/routes.js';
import { EphemeronViewSet } from './api/viewsets.js';
import { type EphemeraOptions, optionsFromEnv } from './config.js';
import { openDataSource } from './db/data-source.js';
import { ensureSchema } from './db/schema.js';
import { registerWebPage } from './web/page.js';

export type { EphemeraOptions } from './config.js';

export async function buildApp(options: Partial<EphemeraOptions> = {}): Promise<FastifyInstance> {
  const resolved: EphemeraOptions = { ...optionsFromEnv(), ...options };
  const dataSource = await openDataSource(resolved.db);
  try {
    await ensureSchema(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const app = Fastify({ logger: resolved.logger, routerOptions: { ignoreTrailingSlash: true } });
  app.addHook('onClose', async () => {
    await dataSource.destroy();
  });
  registerRoutes(app, {
    dataSource,
    settings: { environment: resolved.environment },
    ephemeronViewSet: resolved.incident ? IncidentEphemeronViewSet : EphemeronViewSet,
  });
  registerWebPage(app);
  await app.ready();
  return app;
}
