import Fastify, { type FastifyInstance } from 'fastify';
import type Database from 'better-sqlite3';
import { EventRepository } from './repositories/EventRepository';
import { VenueRepository } from './repositories/VenueRepository';
import { EventService } from './services/EventService';
import { eventRoutes } from './routes/events';

export class EventsApp {
  readonly server: FastifyInstance;

  constructor(private readonly db: Database.Database) {
    this.server = Fastify({ logger: process.env.LOG_LEVEL ? { level: process.env.LOG_LEVEL } : false });
    const service = new EventService(new EventRepository(db), new VenueRepository(db));
    this.server.get('/healthz', async () => ({ ok: true }));
    this.server.register(eventRoutes(service));
    this.server.addHook('onClose', async () => {
      this.db.close();
    });
  }

  async listen(port: number): Promise<string> {
    return this.server.listen({ port, host: '127.0.0.1' });
  }
}
