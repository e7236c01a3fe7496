import { Global, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { typeormOptions } from './typeorm.config';

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      useFactory: () => new DataSource(typeormOptions()).initialize(),
    },
  ],
  exports: [DataSource],
})
export class DatabaseModule implements OnModuleDestroy {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onModuleDestroy(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
