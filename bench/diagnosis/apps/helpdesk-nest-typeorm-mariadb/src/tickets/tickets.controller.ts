import { Controller, DefaultValuePipe, Get, NotFoundException, Param, ParseIntPipe, Query } from '@nestjs/common';
import { TicketStatus } from './ticket.entity';
import { TicketPresenter, TicketView } from './ticket.presenter';
import { TicketsService } from './tickets.service';

const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'solved', 'closed'];

@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly presenter: TicketPresenter,
  ) {}

  @Get()
  async list(
    @Query('limit', new DefaultValuePipe(30), ParseIntPipe) limit: number,
    @Query('offset', new DefaultValuePipe(0), ParseIntPipe) offset: number,
    @Query('status') status?: string,
    @Query('assignee') assignee?: string,
  ): Promise<{ total: number; limit: number; offset: number; tickets: TicketView[] }> {
    const take = Math.min(Math.max(limit, 1), 100);
    const { items, total } = await this.tickets.list({
      limit: take,
      offset: Math.max(offset, 0),
      status: STATUSES.includes(status as TicketStatus) ? (status as TicketStatus) : undefined,
      assigneeId: assignee ? Number(assignee) || undefined : undefined,
    });
    const tickets = await Promise.all(items.map((ticket) => this.presenter.present(ticket)));
    return { total, limit: take, offset, tickets };
  }

  @Get(':id')
  async findOne(@Param('id', ParseIntPipe) id: number): Promise<TicketView> {
    const ticket = await this.tickets.findOne(id);
    if (!ticket) {
      throw new NotFoundException(`ticket ${id} not found`);
    }
    return this.presenter.present(ticket);
  }
}
