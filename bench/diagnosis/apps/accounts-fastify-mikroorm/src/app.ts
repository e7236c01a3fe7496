import Fastify, { FastifyInstance } from 'fastify';
import { MikroORM } from '@mikro-orm/postgresql';
import { userRoutes } from './routes/users';

export async function buildApp(orm: MikroORM): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL || 'warn' } });

  app.get('/health', async () => ({ status: 'ok' }));
  await app.register(userRoutes, { orm });

  app.addHook('onClose', async () => {
    await orm.close();
  });

  return app;
}
