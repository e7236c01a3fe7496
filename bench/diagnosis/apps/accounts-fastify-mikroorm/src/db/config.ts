import { defineConfig } from '@mikro-orm/postgresql';
import { UserSchema } from '../entities/user';

export default defineConfig({
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'postgres',
  password: process.env.PGPASSWORD || undefined,
  dbName: process.env.PGDATABASE || 'diag_accounts_fastify_mikroorm',
  entities: [UserSchema],
  pool: { min: 0, max: 10 },
});
