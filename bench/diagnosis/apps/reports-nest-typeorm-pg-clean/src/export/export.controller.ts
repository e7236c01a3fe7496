import { BadRequestException, Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { CustomerExport, ExportService } from './export.service';

const MAX_PAGE = 5000;
const SEGMENTS = ['smb', 'mid-market', 'enterprise', 'public'];

@Controller('export')
export class ExportController {
  constructor(private readonly exportService: ExportService) {}

  @Get('customers')
  customers(
    @Query('limit', new DefaultValuePipe(1000), ParseIntPipe) limit: number,
    @Query('after', new DefaultValuePipe(0), ParseIntPipe) after: number,
    @Query('segment') segment?: string,
  ): Promise<CustomerExport> {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new BadRequestException(`limit must be between 1 and ${MAX_PAGE}`);
    }
    if (segment !== undefined && !SEGMENTS.includes(segment)) {
      throw new BadRequestException(`segment must be one of ${SEGMENTS.join(', ')}`);
    }
    return this.exportService.exportCustomers(Math.max(after, 0), limit, segment);
  }
}
