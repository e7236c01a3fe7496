import { DataSource, DataSourceOptions } from 'typeorm';
import { Agent } from '../tickets/agent.entity';
import { Customer } from '../tickets/customer.entity';
import { Ticket } from '../tickets/ticket.entity';
import { OrganizationSettings } from '../settings/organization-settings.entity';

export const DATABASE_NAME = process.env.DB_NAME ?? 'diag_helpdesk-nest-typeorm-mariadb';

export function dataSourceOptions(overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'mariadb',
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 3306),
    username: process.env.DB_USER ?? 'root',
    password: process.env.DB_PASSWORD ?? '',
    database: DATABASE_NAME,
    entities: [Agent, Customer, Ticket, OrganizationSettings],
    synchronize: false,
    logging: process.env.TYPEORM_LOGGING === 'true',
    extra: { connectionLimit: 10 },
    ...overrides,
  } as DataSourceOptions;
}
