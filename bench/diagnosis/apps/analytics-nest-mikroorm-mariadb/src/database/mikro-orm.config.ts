import { defineConfig } from '@mikro-orm/mariadb';
import { Page } from '../entities/page.entity';
import { PageView } from '../entities/page-view.entity';

export const DB_NAME = process.env.DB_NAME ?? 'diag_analytics-nest-mikroorm-mariadb';

export default defineConfig({
  entities: [Page, PageView],
  dbName: DB_NAME,
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 3306),
  user: process.env.DB_USER ?? 'root',
  password: process.env.DB_PASSWORD ?? '',
  debug: process.env.ORM_DEBUG === '1',
  pool: { min: 0, max: 5 },
});
