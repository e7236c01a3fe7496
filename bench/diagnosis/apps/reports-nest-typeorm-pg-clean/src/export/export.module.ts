import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';

@Module({
  imports: [CustomersModule],
  controllers: [ExportController],
  providers: [ExportService],
})
export class ExportModule {}
