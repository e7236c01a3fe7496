import { Injectable } from '@nestjs/common';
import { DataSource, FindOptionsWhere, MoreThan, Repository } from 'typeorm';
import { Customer } from './customer.entity';

export interface ExportPage {
  afterId: number;
  limit: number;
  segment?: string;
}

@Injectable()
export class CustomersRepository {
  private readonly repo: Repository<Customer>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(Customer);
  }

  findPageForExport({ afterId, limit, segment }: ExportPage): Promise<Customer[]> {
    const where: FindOptionsWhere<Customer> = { id: MoreThan(afterId) };
    if (segment) {
      where.segment = segment;
    }
    return this.repo.find({ where, order: { id: 'ASC' }, take: limit });
  }
}
