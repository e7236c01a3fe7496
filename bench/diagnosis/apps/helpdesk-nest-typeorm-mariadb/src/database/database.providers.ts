import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

export const DATA_SOURCE = 'DATA_SOURCE';

export const databaseProviders = [
  {
    provide: DATA_SOURCE,
    useFactory: async (): Promise<DataSource> => {
      const dataSource = new DataSource(dataSourceOptions());
      return dataSource.initialize();
    },
  },
];
