import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'products' })
export class Product {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ length: 32 })
  sku: string;

  @Column({ length: 200 })
  name: string;

  @Column('text')
  description: string;

  @Index()
  @Column({ length: 60 })
  category: string;

  @Column({ length: 80 })
  brand: string;

  @Column('integer', { name: 'price_cents' })
  priceCents: number;

  @Column({ length: 3, default: 'EUR' })
  currency: string;

  @Column('integer', { default: 0 })
  stock: number;

  @Column({ default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
