import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Ticket } from './Ticket';

@Entity({ name: 'ticket_comments' })
export class TicketComment {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index()
  @ManyToOne('Ticket', 'comments', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Ticket;

  @Column({ type: 'varchar', length: 120 })
  author: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'boolean', default: false })
  internal: boolean;

  @CreateDateColumn({ type: 'datetime', name: 'created_at' })
  createdAt: Date;

  constructor(ticket: Ticket, author: string, body: string, internal = false) {
    this.ticket = ticket;
    this.author = author;
    this.body = body;
    this.internal = internal;
  }
}
