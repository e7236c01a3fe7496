import { FastifyInstance } from 'fastify';
import { MikroORM } from '@mikro-orm/postgresql';
import { AccountService, toPublicUser } from '../services/account.service';

export async function userRoutes(app: FastifyInstance, opts: { orm: MikroORM }) {
  const service = () => new AccountService(opts.orm.em.fork());

  app.get<{ Querystring: { email?: string } }>('/users/lookup', async (request, reply) => {
    const email = request.query.email;
    if (!email || !email.includes('@')) {
      return reply.code(400).send({ error: 'a valid email query parameter is required' });
    }
    const user = await service().findByEmail(email);
    if (!user) {
      return reply.code(404).send({ error: 'user not found' });
    }
    return toPublicUser(user);
  });

  app.get<{ Querystring: { plan?: string; limit?: string; offset?: string } }>('/users', async (request) => {
    const limit = Math.min(Number(request.query.limit) || 25, 100);
    const offset = Math.max(Number(request.query.offset) || 0, 0);
    const { items, total } = await service().listByPlan(request.query.plan || 'free', limit, offset);
    return { items: items.map(toPublicUser), total, limit, offset };
  });

  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    const user = await service().getById(Number(request.params.id));
    if (!user) {
      return reply.code(404).send({ error: 'user not found' });
    }
    return toPublicUser(user);
  });

  app.post<{ Params: { id: string } }>('/users/:id/suspend', async (request, reply) => {
    const user = await service().suspend(Number(request.params.id));
    if (!user) {
      return reply.code(404).send({ error: 'user not found' });
    }
    return toPublicUser(user);
  });
}
