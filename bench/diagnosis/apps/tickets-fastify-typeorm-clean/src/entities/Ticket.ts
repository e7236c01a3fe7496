import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TicketComment } from './TicketComment';

export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

@Entity({ name: 'tickets' })
export class Ticket {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ type: 'text' })
  description: string;

  @Index()
  @Column({ type: 'varchar', length: 200, name: 'requester_email' })
  requesterEmail: string;

  @Column({ type: 'varchar', length: 120, name: 'assignee', nullable: true })
  assignee: string | null;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  status: TicketStatus;

  @Column({ type: 'varchar', length: 16 })
  priority: TicketPriority;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', name: 'updated_at' })
  updatedAt: Date;

  @OneToMany(() => TicketComment, (comment) => comment.ticket)
  comments: TicketComment[];

  constructor(subject: string, description: string, requesterEmail: string, priority: TicketPriority = 'normal') {
    this.subject = subject;
    this.description = description;
    this.requesterEmail = requesterEmail;
    this.priority = priority;
    this.status = 'open';
    this.assignee = null;
  }

  assignTo(agent: string): void {
    this.assignee = agent;
    if (this.status === 'open') this.status = 'pending';
  }

  resolve(): void {
    this.status = 'resolved';
  }
}
