import { pool } from '../db.js';

const COLUMNS = 'id, sku, name, brand, category, price_cents, rating, stock, updated_at';

const ORDERINGS = {
  price: 'price_cents ASC, id ASC',
  '-price': 'price_cents DESC, id DESC',
  rating: 'rating DESC, id ASC',
};

export async function searchByBrand(brand, { sort = 'price', limit = 20, offset = 0 } = {}) {
  const orderBy = ORDERINGS[sort] ?? ORDERINGS.price;
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM products WHERE brand = $1 ORDER BY ${orderBy} LIMIT $2 OFFSET $3`, [brand, limit, offset]);
  return rows;
}

export async function findById(id) {
  const { rows } = await pool.query(`SELECT ${COLUMNS}, description FROM products WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findBySku(sku) {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM products WHERE sku = $1`, [sku]);
  return rows[0] ?? null;
}
