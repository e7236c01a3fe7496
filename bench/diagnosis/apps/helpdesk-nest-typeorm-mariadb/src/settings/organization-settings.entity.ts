import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'organization_settings' })
export class OrganizationSettings {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  @Column({ name: 'first_response_hours', type: 'int' })
  firstResponseHours: number;

  @Column({ name: 'urgent_response_hours', type: 'int' })
  urgentResponseHours: number;

  @Column({ name: 'ticket_prefix', type: 'varchar', length: 8 })
  ticketPrefix: string;

  @Column({ name: 'show_customer_email', type: 'boolean' })
  showCustomerEmail: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
