import Fastify from 'fastify';
import { dataSource } from './data-source';
import { ticketRoutes } from './routes/tickets';
import { TicketService } from './services/ticket.service';

async function main() {
  await dataSource.initialize();
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL || 'warn' } });
  app.get('/health', async () => ({ status: 'ok' }));
  await app.register(ticketRoutes, { tickets: new TicketService(dataSource) });
  app.addHook('onClose', async () => {
    await dataSource.destroy();
  });

  const port = Number(process.env.PORT || 4318);
  await app.listen({ port, host: '127.0.0.1' });
  console.log(`helpdesk tickets listening on http://127.0.0.1:${port}`);

  const stop = () => app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
