import { Body, Controller, DefaultValuePipe, Get, Param, ParseIntPipe, Patch, Query } from '@nestjs/common';
import { Product } from './product.entity';
import { ProductsService } from './products.service';

class AdjustStockDto {
  delta: number;
}

@Controller('products')
export class ProductsController {
  constructor(private readonly productsService: ProductsService) {}

  @Get()
  list(
    @Query('category') category: string | undefined,
    @Query('page', new DefaultValuePipe(1), ParseIntPipe) page: number,
    @Query('pageSize', new DefaultValuePipe(20), ParseIntPipe) pageSize: number,
  ) {
    return this.productsService.list({ category, page: Math.max(page, 1), pageSize: Math.min(Math.max(pageSize, 1), 100) });
  }

  @Get(':sku')
  findOne(@Param('sku') sku: string): Promise<Product> {
    return this.productsService.findBySku(sku);
  }

  @Patch(':sku/stock')
  adjustStock(@Param('sku') sku: string, @Body() body: AdjustStockDto): Promise<Product> {
    return this.productsService.adjustStock(sku, Number(body.delta) || 0);
  }
}
