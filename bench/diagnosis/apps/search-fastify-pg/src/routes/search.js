import * as products from '../repositories/productRepository.js';

const searchSchema = {
  querystring: {
    type: 'object',
    required: ['brand'],
    properties: {
      brand: { type: 'string', minLength: 1, maxLength: 60 },
      sort: { type: 'string', enum: ['price', '-price', 'rating'], default: 'price' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      offset: { type: 'integer', minimum: 0, maximum: 10000, default: 0 },
    },
  },
};

function toDto(row) {
  return {
    id: Number(row.id),
    sku: row.sku,
    name: row.name,
    brand: row.brand,
    category: row.category,
    price: row.price_cents / 100,
    rating: Number(row.rating),
    inStock: row.stock > 0,
    updatedAt: row.updated_at,
  };
}

export default async function searchRoutes(app) {
  app.get('/search', { schema: searchSchema }, async (request) => {
    const { brand, sort, limit, offset } = request.query;
    const rows = await products.searchByBrand(brand.toLowerCase(), { sort, limit, offset });
    return { brand, sort, limit, offset, results: rows.map(toDto) };
  });

  app.get('/products/:id', async (request, reply) => {
    const id = Number(request.params.id);
    const row = Number.isSafeInteger(id) ? await products.findById(id) : null;
    if (!row) return reply.code(404).send({ error: 'product not found' });
    return { ...toDto(row), description: row.description };
  });

  app.get('/products/sku/:sku', async (request, reply) => {
    const row = await products.findBySku(request.params.sku);
    if (!row) return reply.code(404).send({ error: 'product not found' });
    return toDto(row);
  });
}
