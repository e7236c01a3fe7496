/**
 * NestJS in module mode: a root module class (decorated with `@Module`) is
 * turned into an application with the app's own `@nestjs/core` (never a copy
 * of culprit's: Nest's container keys on its own classes), and a created
 * application (`INestApplication`, exported or returned by a factory) is
 * initialised, not listened. Either way requests go to the `http.Server` of
 * Nest's HTTP adapter, so Nest's middleware, guards and pipes all run.
 */
import type http from 'node:http';
import { createRequire } from 'node:module';

/** The metadata keys `@Module({...})` defines on its class (with reflect-metadata, which Nest loads). */
const MODULE_KEYS = ['imports', 'controllers', 'providers', 'exports'];

interface ReflectWithMetadata {
  getOwnMetadataKeys?: (target: object) => unknown[];
}

/** A class decorated with `@Module` that declares something. */
export function isNestModule(value: unknown): boolean {
  if (typeof value !== 'function') return false;
  const keysOf = (Reflect as ReflectWithMetadata).getOwnMetadataKeys;
  if (typeof keysOf !== 'function') return false;
  const keys = keysOf(value);
  return keys.some((key) => typeof key === 'string' && MODULE_KEYS.includes(key));
}

interface NestApplication {
  init(): Promise<unknown>;
  getHttpServer(): unknown;
  getHttpAdapter(): { getInstance?(): unknown };
}

function hasMethods(value: unknown, names: string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

/** An application from `NestFactory.create` (listening or not). */
export function isNestApplication(value: unknown): value is NestApplication {
  return hasMethods(value, ['init', 'getHttpServer', 'getHttpAdapter', 'useGlobalPipes']);
}

/** Initialises the application (routes, lifecycle hooks) and hands back the server its adapter made. */
export async function nestServer(app: unknown): Promise<http.Server> {
  const nest = app as NestApplication;
  await nest.init();
  const instance = nest.getHttpAdapter().getInstance?.();
  // the Fastify adapter serves only after its instance is ready
  if (hasMethods(instance, ['ready', 'inject'])) await (instance as { ready(): Promise<unknown> }).ready();
  const server = nest.getHttpServer();
  if (!server || typeof (server as { emit?: unknown }).emit !== 'function') {
    throw new Error('the Nest application has no HTTP server (was it created with NestFactory.createMicroservice?)');
  }
  return server as http.Server;
}

interface NestFactoryStatic {
  create(module: unknown, options?: object): Promise<unknown>;
}

/** Creates the application from a root module with the `@nestjs/core` that the module itself resolves. */
export async function createNestApplication(rootModule: unknown, modulePath: string): Promise<http.Server> {
  let core: { NestFactory?: NestFactoryStatic };
  try {
    core = createRequire(modulePath)('@nestjs/core') as { NestFactory?: NestFactoryStatic };
  } catch (error) {
    throw new Error(
      `${modulePath} exports a Nest module but @nestjs/core cannot be resolved from it (${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (!core.NestFactory) throw new Error('@nestjs/core has no NestFactory');
  // errors and warnings only (the routes table would bury culprit's output); a failure throws rather than exits
  const app = await core.NestFactory.create(rootModule, { logger: ['error', 'warn'], abortOnError: false });
  return nestServer(app);
}
