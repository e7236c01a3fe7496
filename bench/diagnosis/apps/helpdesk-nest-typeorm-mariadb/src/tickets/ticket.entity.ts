import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Agent } from './agent.entity';
import { Customer } from './customer.entity';

export type TicketStatus = 'new' | 'open' | 'pending' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

@Entity({ name: 'tickets' })
@Index('idx_tickets_created', ['createdAt'])
@Index('idx_tickets_status_created', ['status', 'createdAt'])
export class Ticket {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ type: 'varchar', length: 16 })
  status: TicketStatus;

  @Column({ type: 'varchar', length: 16 })
  priority: TicketPriority;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @ManyToOne(() => Customer, { nullable: false })
  @JoinColumn({ name: 'requester_id' })
  requester: Customer;

  @ManyToOne(() => Agent, { nullable: true })
  @JoinColumn({ name: 'assignee_id' })
  assignee: Agent | null;

  @Column({ name: 'first_response_at', type: 'datetime', nullable: true })
  firstResponseAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
