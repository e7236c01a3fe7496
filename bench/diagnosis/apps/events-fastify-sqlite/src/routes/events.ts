import type { FastifyInstance } from 'fastify';
import type { EventService } from '../services/EventService';

interface CityQuery {
  limit?: string;
  offset?: string;
}

export function eventRoutes(service: EventService) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/events/upcoming', async () => {
      return { events: service.upcomingFeatured() };
    });

    app.get<{ Params: { city: string }; Querystring: CityQuery }>('/cities/:city/events', async (request) => {
      const limit = Math.min(Math.max(Number(request.query.limit) || 20, 1), 100);
      const offset = Math.max(Number(request.query.offset) || 0, 0);
      return { events: service.upcomingInCity(request.params.city, limit, offset) };
    });

    app.get<{ Params: { id: string } }>('/events/:id', async (request, reply) => {
      const event = service.getEvent(Number(request.params.id));
      if (!event) {
        return reply.code(404).send({ error: 'event not found' });
      }
      return event;
    });

    app.post<{ Params: { id: string } }>('/events/:id/rsvp', async (request, reply) => {
      if (!service.rsvp(Number(request.params.id))) {
        return reply.code(404).send({ error: 'event not found' });
      }
      return reply.code(204).send();
    });
  };
}
