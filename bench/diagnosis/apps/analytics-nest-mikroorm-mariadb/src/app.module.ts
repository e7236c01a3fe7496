import { Module } from '@nestjs/common';
import { DatabaseModule } from './database/database.module';
import { StatsModule } from './stats/stats.module';

@Module({
  imports: [DatabaseModule, StatsModule],
})
export class AppModule {}
