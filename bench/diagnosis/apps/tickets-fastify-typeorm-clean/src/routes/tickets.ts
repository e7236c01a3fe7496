import { FastifyInstance } from 'fastify';
import { TicketPriority } from '../entities/Ticket';
import { TicketService } from '../services/ticket.service';

const PRIORITIES: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

export async function ticketRoutes(app: FastifyInstance, opts: { tickets: TicketService }) {
  const { tickets } = opts;

  app.get<{ Params: { id: string } }>('/tickets/:id', async (request, reply) => {
    const id = Number(request.params.id);
    if (!Number.isInteger(id) || id <= 0) {
      return reply.code(400).send({ error: 'invalid ticket id' });
    }
    const ticket = await tickets.getTicket(id);
    if (!ticket) {
      return reply.code(404).send({ error: 'ticket not found' });
    }
    return ticket;
  });

  app.post<{ Body: { subject?: string; description?: string; requesterEmail?: string; priority?: TicketPriority } }>(
    '/tickets',
    async (request, reply) => {
      const { subject, description, requesterEmail, priority } = request.body ?? {};
      if (!subject || !description || !requesterEmail) {
        return reply.code(400).send({ error: 'subject, description and requesterEmail are required' });
      }
      if (priority && !PRIORITIES.includes(priority)) {
        return reply.code(400).send({ error: `priority must be one of ${PRIORITIES.join(', ')}` });
      }
      const ticket = await tickets.openTicket(subject, description, requesterEmail, priority);
      return reply.code(201).send(ticket);
    },
  );

  app.post<{ Params: { id: string }; Body: { author?: string; body?: string; internal?: boolean } }>(
    '/tickets/:id/comments',
    async (request, reply) => {
      const { author, body, internal } = request.body ?? {};
      if (!author || !body) {
        return reply.code(400).send({ error: 'author and body are required' });
      }
      const ticket = await tickets.addComment(Number(request.params.id), author, body, Boolean(internal));
      if (!ticket) {
        return reply.code(404).send({ error: 'ticket not found' });
      }
      return reply.code(201).send(ticket);
    },
  );
}
