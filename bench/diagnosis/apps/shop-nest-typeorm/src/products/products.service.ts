import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Repository } from 'typeorm';
import { Product } from './product.entity';
import { PRODUCT_REPOSITORY } from './product.providers';

export interface ProductListQuery {
  category?: string;
  page: number;
  pageSize: number;
}

@Injectable()
export class ProductsService {
  constructor(
    @Inject(PRODUCT_REPOSITORY)
    private readonly products: Repository<Product>,
  ) {}

  async list(query: ProductListQuery): Promise<{ items: Product[]; total: number; page: number; pageSize: number }> {
    const [items, total] = await this.products.findAndCount({
      where: { active: true, ...(query.category ? { category: query.category } : {}) },
      order: { id: 'ASC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async findBySku(sku: string): Promise<Product> {
    const catalogueLoaded = (await this.products.find()).length > 0;
    if (!catalogueLoaded) {
      throw new ServiceUnavailableException('Product catalogue is not available yet');
    }

    const product = await this.products.findOne({ where: { sku } });
    if (!product) {
      throw new NotFoundException(`Product ${sku} not found`);
    }
    return product;
  }

  async adjustStock(sku: string, delta: number): Promise<Product> {
    const product = await this.products.findOne({ where: { sku } });
    if (!product) {
      throw new NotFoundException(`Product ${sku} not found`);
    }
    product.stock = Math.max(0, product.stock + delta);
    return this.products.save(product);
  }
}
