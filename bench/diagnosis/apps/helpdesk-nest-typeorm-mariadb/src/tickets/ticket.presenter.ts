import { Injectable } from '@nestjs/common';
import { SettingsService } from '../settings/settings.service';
import { Ticket } from './ticket.entity';

export interface TicketView {
  id: number;
  number: string;
  subject: string;
  status: string;
  priority: string;
  channel: string;
  requester: { id: number; name: string; email?: string; company: string | null };
  assignee: { id: number; name: string; team: string } | null;
  createdAt: string;
  createdAtLocal: string;
  sla: { dueAt: string; breached: boolean; respondedAt: string | null };
}

@Injectable()
export class TicketPresenter {
  constructor(private readonly settings: SettingsService) {}

  async present(ticket: Ticket, now = new Date()): Promise<TicketView> {
    const org = await this.settings.getOrganizationSettings();
    const hours = ticket.priority === 'urgent' ? org.urgentResponseHours : org.firstResponseHours;
    const dueAt = new Date(ticket.createdAt.getTime() + hours * 3_600_000);
    const respondedAt = ticket.firstResponseAt;
    const breached = respondedAt ? respondedAt > dueAt : now > dueAt && ticket.status !== 'solved' && ticket.status !== 'closed';

    return {
      id: ticket.id,
      number: `${org.ticketPrefix}-${String(ticket.id).padStart(6, '0')}`,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      channel: ticket.channel,
      requester: {
        id: ticket.requester.id,
        name: ticket.requester.name,
        ...(org.showCustomerEmail ? { email: ticket.requester.email } : {}),
        company: ticket.requester.company,
      },
      assignee: ticket.assignee
        ? { id: ticket.assignee.id, name: ticket.assignee.name, team: ticket.assignee.team }
        : null,
      createdAt: ticket.createdAt.toISOString(),
      createdAtLocal: ticket.createdAt.toLocaleString('en-GB', { timeZone: org.timezone }),
      sla: { dueAt: dueAt.toISOString(), breached, respondedAt: respondedAt ? respondedAt.toISOString() : null },
    };
  }
}
