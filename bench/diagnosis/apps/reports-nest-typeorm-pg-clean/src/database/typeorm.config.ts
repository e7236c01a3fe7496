import { DataSourceOptions } from 'typeorm';
import { Customer } from '../customers/customer.entity';

export const DATABASE_NAME = process.env.PGDATABASE ?? 'diag_reports_nest_typeorm_pg_clean';

export const postgresConfig = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  username: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD ?? '',
};

export function typeormOptions(): DataSourceOptions {
  return {
    type: 'postgres',
    ...postgresConfig,
    database: DATABASE_NAME,
    entities: [Customer],
    synchronize: false,
    logging: process.env.TYPEORM_LOGGING === 'true' ? ['query'] : false,
    extra: { max: 10 },
  };
}
