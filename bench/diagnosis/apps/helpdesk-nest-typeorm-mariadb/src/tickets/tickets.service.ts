import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { DATA_SOURCE } from '../database/database.providers';
import { Ticket, TicketStatus } from './ticket.entity';

export interface TicketQuery {
  limit: number;
  offset: number;
  status?: TicketStatus;
  assigneeId?: number;
}

@Injectable()
export class TicketsService {
  private readonly tickets: Repository<Ticket>;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource) {
    this.tickets = dataSource.getRepository(Ticket);
  }

  async list(query: TicketQuery): Promise<{ items: Ticket[]; total: number }> {
    const qb = this.tickets
      .createQueryBuilder('ticket')
      .innerJoinAndSelect('ticket.requester', 'requester')
      .leftJoinAndSelect('ticket.assignee', 'assignee');
    if (query.status) {
      qb.andWhere('ticket.status = :status', { status: query.status });
    }
    if (query.assigneeId) {
      qb.andWhere('assignee.id = :assigneeId', { assigneeId: query.assigneeId });
    }
    const [items, total] = await Promise.all([
      qb.clone().orderBy('ticket.createdAt', 'DESC').addOrderBy('ticket.id', 'DESC').limit(query.limit).offset(query.offset).getMany(),
      qb.clone().getCount(),
    ]);
    return { items, total };
  }

  findOne(id: number): Promise<Ticket | null> {
    return this.tickets.findOne({ where: { id }, relations: { requester: true, assignee: true } });
  }
}
