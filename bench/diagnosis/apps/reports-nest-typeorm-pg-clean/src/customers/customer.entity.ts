import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'customers' })
export class Customer {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'external_ref', type: 'varchar', length: 32, unique: true })
  externalRef: string;

  @Column({ name: 'company_name', type: 'varchar', length: 160 })
  companyName: string;

  @Column({ name: 'contact_name', type: 'varchar', length: 120 })
  contactName: string;

  @Column({ type: 'varchar', length: 160 })
  email: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone: string | null;

  @Column({ name: 'address_line', type: 'varchar', length: 200 })
  addressLine: string;

  @Column({ type: 'varchar', length: 80 })
  city: string;

  @Column({ name: 'postal_code', type: 'varchar', length: 16 })
  postalCode: string;

  @Column({ name: 'country_code', type: 'char', length: 2 })
  countryCode: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  segment: string;

  @Column({ name: 'lifetime_value_cents', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  lifetimeValueCents: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
