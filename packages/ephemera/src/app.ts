// Module mode: the DEFAULT export is a ready Fastify instance configured from
// the environment (EPHEMERA_DB or DATABASE_URL, EPHEMERA_INCIDENT, EPHEMERA_ENV),
// not listening, so a tool can import it and inject requests (`app.inject`).
// Importing this module opens the database; use `buildApp` for other options.
import type { FastifyInstance } from 'fastify';
import { buildApp } from './build-app.js';

export { buildApp } from './build-app.js';
export type { EphemeraOptions } from './config.js';

const app: FastifyInstance = await buildApp();
export default app;
