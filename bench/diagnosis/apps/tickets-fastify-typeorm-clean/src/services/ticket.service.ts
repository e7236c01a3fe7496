import { DataSource, Repository } from 'typeorm';
import { Ticket, TicketPriority, TicketStatus } from '../entities/Ticket';
import { TicketComment } from '../entities/TicketComment';

export interface TicketView {
  id: number;
  subject: string;
  description: string;
  requesterEmail: string;
  assignee: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  createdAt: Date;
  updatedAt: Date;
  comments: { id: number; author: string; body: string; internal: boolean; createdAt: Date }[];
}

export class TicketService {
  private readonly tickets: Repository<Ticket>;
  private readonly comments: Repository<TicketComment>;

  constructor(dataSource: DataSource) {
    this.tickets = dataSource.getRepository(Ticket);
    this.comments = dataSource.getRepository(TicketComment);
  }

  static toView(ticket: Ticket): TicketView {
    return {
      id: ticket.id,
      subject: ticket.subject,
      description: ticket.description,
      requesterEmail: ticket.requesterEmail,
      assignee: ticket.assignee,
      status: ticket.status,
      priority: ticket.priority,
      createdAt: ticket.createdAt,
      updatedAt: ticket.updatedAt,
      comments: (ticket.comments ?? []).map((c) => ({
        id: c.id,
        author: c.author,
        body: c.body,
        internal: c.internal,
        createdAt: c.createdAt,
      })),
    };
  }

  async getTicket(id: number): Promise<TicketView | null> {
    const ticket = await this.tickets
      .createQueryBuilder('ticket')
      .leftJoinAndSelect('ticket.comments', 'comment')
      .where('ticket.id = :id', { id })
      .orderBy('comment.createdAt', 'ASC')
      .addOrderBy('comment.id', 'ASC')
      .getOne();
    return ticket ? TicketService.toView(ticket) : null;
  }

  async openTicket(subject: string, description: string, requesterEmail: string, priority?: TicketPriority): Promise<TicketView> {
    const saved = await this.tickets.save(new Ticket(subject, description, requesterEmail, priority));
    saved.comments = [];
    return TicketService.toView(saved);
  }

  async addComment(id: number, author: string, body: string, internal: boolean): Promise<TicketView | null> {
    const ticket = await this.tickets.findOneBy({ id });
    if (!ticket) return null;
    await this.comments.save(new TicketComment(ticket, author, body, internal));
    return this.getTicket(id);
  }
}
