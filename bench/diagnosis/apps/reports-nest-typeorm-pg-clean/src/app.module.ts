import { Module } from '@nestjs/common';
import { DatabaseModule } from './database/database.module';
import { ExportModule } from './export/export.module';

@Module({
  imports: [DatabaseModule, ExportModule],
})
export class AppModule {}
