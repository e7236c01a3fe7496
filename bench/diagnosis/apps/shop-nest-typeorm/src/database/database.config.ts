import { DataSourceOptions } from 'typeorm';
import { Product } from '../products/product.entity';

export const databaseName = process.env.PGDATABASE || 'diag_shop_nest_typeorm';

export const dataSourceOptions: DataSourceOptions = {
  type: 'postgres',
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  username: process.env.PGUSER || 'postgres',
  password: process.env.PGPASSWORD || undefined,
  database: databaseName,
  entities: [Product],
  synchronize: false,
  logging: false,
};
